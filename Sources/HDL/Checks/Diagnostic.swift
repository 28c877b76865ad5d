/// One problem in a design, at the user's source line.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(_ message: String, at location: SourceLocation) {
        self.location = location
        self.message = message
    }

    /// `File.swift:LINE: error: message`, the format compilers use so editors can jump to it.
    public var description: String { "\(location): error: \(message)" }
}

/// Every diagnostic of one elaboration, thrown together.
public struct ElaborationError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
