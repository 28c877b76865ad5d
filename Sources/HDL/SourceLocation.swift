/// Where in the user's Swift source a construct was written; every diagnostic carries one.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public let fileID: String
    public let line: Int

    public init(fileID: String = #fileID, line: Int = #line) {
        self.fileID = fileID
        self.line = line
    }

    /// The file name without the module prefix of `#fileID` (`"HDLExamples/Counter.swift"` -> `"Counter.swift"`).
    public var fileName: String {
        fileID.split(separator: "/").last.map(String.init) ?? fileID
    }

    public var description: String { "\(fileName):\(line)" }
}
