/// Reads the generic group tree of a Liberty file (see `LibertyGroup`).
///
/// Strict where the Liberty reference grammar is: every simple and complex attribute ends with
/// `;`, braces balance, and the file holds one top-level group. A violation is a `LibertyError`
/// naming the line of the statement at fault.
struct LibertyParser {
    private var lexer: LibertyLexer
    private var lookahead: LibertyLexer.Token
    private let path: String?

    init(text: String, path: String?) throws {
        lexer = LibertyLexer(text, path: path)
        self.path = path
        lookahead = try lexer.next()
    }

    /// Parses the whole text as one top-level group (`library (...) { ... }`).
    mutating func parseFile() throws -> LibertyGroup {
        guard lookahead.kind != .end else { throw error("empty file: no library group", line: lookahead.line) }
        let head = try advance()
        guard head.kind == .word else { throw error("expected a group name, found \(describe(head))", line: head.line) }
        guard lookahead.kind == .punctuation(UInt8(ascii: "(")) else {
            throw error("expected '(' after '\(head.text)' at the top level", line: lookahead.line)
        }
        let arguments = try parseArguments(after: head)
        guard lookahead.kind == .punctuation(UInt8(ascii: "{")) else {
            throw error("expected '{' to open group '\(head.text)'", line: lookahead.line)
        }
        let group = try parseGroupBody(name: head.text, arguments: arguments, line: head.line)
        guard lookahead.kind == .end else {
            throw error("unexpected \(describe(lookahead)) after the end of group '\(head.text)'", line: lookahead.line)
        }
        return group
    }

    private func error(_ message: String, line: Int) -> LibertyError {
        LibertyError(path: path, line: line, message: message)
    }

    private func describe(_ token: LibertyLexer.Token) -> String {
        switch token.kind {
        case .end: return "end of file"
        case .string: return "string \"\(token.text.prefix(30))\""
        case .word: return "'\(token.text.prefix(30))'"
        case .punctuation: return "'\(token.text)'"
        }
    }

    private mutating func advance() throws -> LibertyLexer.Token {
        let token = lookahead
        lookahead = try lexer.next()
        return token
    }

    private func isPunctuation(_ token: LibertyLexer.Token, _ character: Character) -> Bool {
        token.kind == .punctuation(character.asciiValue!)
    }

    /// `( value [,] value ... )`, the lookahead being the `(`.
    private mutating func parseArguments(after head: LibertyLexer.Token) throws -> [String] {
        _ = try advance()
        var values: [String] = []
        while true {
            let token = try advance()
            switch token.kind {
            case .word, .string:
                values.append(token.text)
            case .punctuation(UInt8(ascii: ",")):
                continue
            case .punctuation(UInt8(ascii: ")")):
                return values
            case .end:
                throw error("unclosed '(' of '\(head.text)'", line: head.line)
            case .punctuation:
                throw error("unexpected \(describe(token)) in the arguments of '\(head.text)'", line: token.line)
            }
        }
    }

    /// `{ statements }`, the lookahead being the `{`.
    private mutating func parseGroupBody(name: String, arguments: [String], line: Int) throws -> LibertyGroup {
        _ = try advance()
        var group = LibertyGroup(name: name, arguments: arguments, line: line)
        while true {
            let token = try advance()
            switch token.kind {
            case .punctuation(UInt8(ascii: "}")):
                return group
            case .end:
                throw error("unbalanced braces: group '\(name)' opened here is never closed", line: line)
            case .word:
                try parseStatement(head: token, into: &group)
            default:
                throw error("expected an attribute or group name, found \(describe(token))", line: token.line)
            }
        }
    }

    private mutating func parseStatement(head: LibertyLexer.Token, into group: inout LibertyGroup) throws {
        if isPunctuation(lookahead, ":") {
            _ = try advance()
            var values: [String] = []
            // A value is one token; a few libraries write arithmetic (`VDD * 0.9`), kept as words
            // if on the attribute's line, so that a missing ';' is reported where it is missing.
            while lookahead.kind == .word || lookahead.kind == .string, values.isEmpty || lookahead.line == head.line {
                values.append(try advance().text)
            }
            guard !values.isEmpty else {
                throw error("attribute '\(head.text)' has no value", line: head.line)
            }
            guard isPunctuation(lookahead, ";") else {
                throw error("missing ';' after attribute '\(head.text) : \(values.joined(separator: " "))'", line: head.line)
            }
            _ = try advance()
            group.attributes.append(LibertyAttribute(
                name: head.text, values: [values.joined(separator: " ")], isSimple: true, line: head.line))
        } else if isPunctuation(lookahead, "(") {
            let arguments = try parseArguments(after: head)
            if isPunctuation(lookahead, "{") {
                group.groups.append(try parseGroupBody(name: head.text, arguments: arguments, line: head.line))
            } else if isPunctuation(lookahead, ";") {
                _ = try advance()
                group.attributes.append(LibertyAttribute(name: head.text, values: arguments, isSimple: false, line: head.line))
            } else {
                throw error("missing ';' after complex attribute '\(head.text)(...)'", line: head.line)
            }
        } else {
            throw error("expected ':' or '(' after '\(head.text)', found \(describe(lookahead))", line: lookahead.line)
        }
    }
}
