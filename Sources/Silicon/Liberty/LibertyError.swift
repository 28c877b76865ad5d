/// Why a Liberty file could not be read: one line, `liberty <path>: line N: <what>`.
///
/// Covers a missing or unreadable file, a syntax error, a library without cells, a cell without
/// an area, and a `function` (or other Boolean attribute) that does not parse.
public struct LibertyError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file, or nil for text given directly.
    public let path: String?
    /// The 1-based line the problem was found on; nil when it concerns the file as a whole.
    public let line: Int?
    /// What is wrong, without the location.
    public let message: String

    public init(path: String?, line: Int?, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        let location = "liberty " + (path ?? "<text>")
        let oneLine = message.replacingOccurrences(of: "\n", with: " ")
        if let line { return "\(location): line \(line): \(oneLine)" }
        return "\(location): \(oneLine)"
    }
}
