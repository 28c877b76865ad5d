/// The generic shape of a Liberty file, before any meaning is given to it: groups
/// `name (args) { ... }`, simple attributes `name : value ;` and complex attributes
/// `name (args) ;`. Everything (timing and power tables included) is parsed, so that a
/// malformed file fails with a line number even where the reader ignores the content.
struct LibertyGroup: Sendable {
    var name: String
    var arguments: [String]
    var line: Int
    var attributes: [LibertyAttribute] = []
    var groups: [LibertyGroup] = []

    /// The value of the first simple attribute called `name`.
    func simple(_ name: String) -> LibertyAttribute? {
        attributes.first { $0.name == name && $0.isSimple }
    }

    /// The first complex attribute called `name`.
    func complex(_ name: String) -> LibertyAttribute? {
        attributes.first { $0.name == name && !$0.isSimple }
    }
}

/// A simple attribute has one value; a complex one has a parenthesised list.
struct LibertyAttribute: Sendable {
    var name: String
    var values: [String]
    var isSimple: Bool
    var line: Int
    var value: String { values.first ?? "" }
}

/// Splits Liberty text into tokens. Works on UTF-8 bytes: the OSU library is 250 kB and the
/// reader should stay fast in debug builds.
struct LibertyLexer {
    enum Kind: Equatable { case word, string, punctuation(UInt8), end }

    struct Token {
        var kind: Kind
        var text: String
        var line: Int
    }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    let path: String?

    init(_ text: String, path: String?) {
        bytes = Array(text.utf8)
        self.path = path
    }

    private func error(_ message: String, line: Int) -> LibertyError {
        LibertyError(path: path, line: line, message: message)
    }

    private static func isPunctuation(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "{"), UInt8(ascii: "}"),
             UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: ","):
            return true
        default:
            return false
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }

    /// Skips blanks, newlines, `/* */` comments and `\` line continuations.
    private mutating func skipTrivia() throws {
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A {
                line += 1
                index += 1
            } else if Self.isSpace(byte) {
                index += 1
            } else if byte == UInt8(ascii: "\\"), let after = continuationAfter(index) {
                line += 1
                index = after
            } else if byte == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") {
                let startLine = line
                index += 2
                while true {
                    guard index + 1 < bytes.count else { throw error("unterminated comment", line: startLine) }
                    if bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/") {
                        index += 2
                        break
                    }
                    if bytes[index] == 0x0A { line += 1 }
                    index += 1
                }
            } else {
                return
            }
        }
    }

    /// A backslash (at `backslash`) followed by optional blanks and a newline joins two lines;
    /// returns the index after the newline, which the caller counts.
    private func continuationAfter(_ backslash: Int) -> Int? {
        var probe = backslash + 1
        while probe < bytes.count, bytes[probe] == 0x20 || bytes[probe] == 0x09 || bytes[probe] == 0x0D { probe += 1 }
        guard probe < bytes.count, bytes[probe] == 0x0A else { return nil }
        return probe + 1
    }

    mutating func next() throws -> Token {
        try skipTrivia()
        guard index < bytes.count else { return Token(kind: .end, text: "", line: line) }
        let byte = bytes[index]
        let startLine = line
        if Self.isPunctuation(byte) {
            index += 1
            return Token(kind: .punctuation(byte), text: String(UnicodeScalar(byte)), line: startLine)
        }
        if byte == UInt8(ascii: "\"") {
            index += 1
            var content: [UInt8] = []
            while true {
                guard index < bytes.count else { throw error("unterminated string", line: startLine) }
                let current = bytes[index]
                if current == UInt8(ascii: "\"") {
                    index += 1
                    break
                }
                if current == UInt8(ascii: "\\"), let after = continuationAfter(index) {
                    // A continuation inside a string (table rows): drop it.
                    line += 1
                    index = after
                    continue
                }
                if current == 0x0A { line += 1 }
                content.append(current)
                index += 1
            }
            return Token(kind: .string, text: String(decoding: content, as: UTF8.self), line: startLine)
        }
        let start = index
        while index < bytes.count {
            let current = bytes[index]
            if Self.isSpace(current) || Self.isPunctuation(current) || current == UInt8(ascii: "\"") { break }
            if current == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") { break }
            // Only a continuation ends a word; a backslash elsewhere is part of it.
            if current == UInt8(ascii: "\\"), continuationAfter(index) != nil { break }
            index += 1
        }
        return Token(kind: .word, text: String(decoding: bytes[start..<index], as: UTF8.self), line: startLine)
    }
}
