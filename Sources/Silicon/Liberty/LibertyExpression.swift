/// A Boolean function of a Liberty cell (`function`, `three_state`, `next_state`, `clear`, ...).
///
/// Syntax: `!A` and `A'` are NOT; `A&B`, `A*B` and `A B` (juxtaposition) are AND; `A|B` and
/// `A+B` are OR; `A^B` is XOR; parentheses group; `0` and `1` are constants; names are pins or
/// state variables (`IQ`, `P0002`). Precedence, tightest first: NOT, AND, XOR, OR.
public indirect enum LibertyExpression: Sendable, Hashable {
    case constant(Bool)
    case variable(String)
    case not(LibertyExpression)
    case and([LibertyExpression])
    case or([LibertyExpression])
    case xor([LibertyExpression])

    /// Parses a Liberty Boolean expression; throws a `LibertyError` (without a location, which
    /// the library reader adds) when `text` is not one.
    public static func parse(_ text: String) throws -> LibertyExpression {
        var parser = ExpressionParser(text: text)
        return try parser.parseWhole()
    }

    /// The value with each variable taken from `values`; a variable not in `values` is false.
    public func evaluate(_ values: [String: Bool]) -> Bool {
        switch self {
        case .constant(let value): return value
        case .variable(let name): return values[name] ?? false
        case .not(let operand): return !operand.evaluate(values)
        case .and(let operands): return operands.allSatisfy { $0.evaluate(values) }
        case .or(let operands): return operands.contains { $0.evaluate(values) }
        case .xor(let operands): return operands.reduce(false) { $0 != $1.evaluate(values) }
        }
    }

    /// Every name the expression reads.
    public var variables: Set<String> {
        switch self {
        case .constant: return []
        case .variable(let name): return [name]
        case .not(let operand): return operand.variables
        case .and(let operands), .or(let operands), .xor(let operands):
            return operands.reduce(into: Set<String>()) { $0.formUnion($1.variables) }
        }
    }

    /// The expression in Verilog (`~`, `&`, `|`, `^`, `1'b0`, `1'b1`), each name passed through
    /// `rename` (to escape it or to refer to an internal signal).
    public func verilog(rename: (String) -> String = { $0 }) -> String {
        switch self {
        case .constant(let value): return value ? "1'b1" : "1'b0"
        case .variable(let name): return rename(name)
        case .not(let operand): return "~" + operand.verilogOperand(rename)
        case .and(let operands): return operands.map { $0.verilogOperand(rename) }.joined(separator: " & ")
        case .or(let operands): return operands.map { $0.verilogOperand(rename) }.joined(separator: " | ")
        case .xor(let operands): return operands.map { $0.verilogOperand(rename) }.joined(separator: " ^ ")
        }
    }

    /// Parenthesised unless atomic, so that no Verilog precedence rule is relied on.
    private func verilogOperand(_ rename: (String) -> String) -> String {
        switch self {
        case .constant, .variable, .not: return verilog(rename: rename)
        case .and, .or, .xor: return "(" + verilog(rename: rename) + ")"
        }
    }
}

/// Recursive descent over the expression's characters, one level per precedence.
private struct ExpressionParser {
    private let characters: [Character]
    private let text: String
    private var index = 0

    init(text: String) {
        self.text = text
        characters = Array(text)
    }

    private func error(_ what: String) -> LibertyError {
        LibertyError(path: nil, line: nil, message: "expression \"\(text)\": \(what)")
    }

    private mutating func skipBlanks() {
        while index < characters.count, characters[index].isWhitespace { index += 1 }
    }

    private mutating func peek() -> Character? {
        skipBlanks()
        return index < characters.count ? characters[index] : nil
    }

    private static func isNameStart(_ character: Character) -> Bool {
        character.isLetter || character == "_"
    }

    private static func isNameCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "[" || character == "]"
            || character == "." || character == "$"
    }

    mutating func parseWhole() throws -> LibertyExpression {
        guard peek() != nil else { throw error("empty") }
        let expression = try parseOr()
        if let rest = peek() { throw error("unexpected '\(rest)' at column \(index + 1)") }
        return expression
    }

    private mutating func parseOr() throws -> LibertyExpression {
        var operands = [try parseXor()]
        while let next = peek(), next == "|" || next == "+" {
            index += 1
            operands.append(try parseXor())
        }
        return operands.count == 1 ? operands[0] : .or(operands)
    }

    private mutating func parseXor() throws -> LibertyExpression {
        var operands = [try parseAnd()]
        while peek() == "^" {
            index += 1
            operands.append(try parseAnd())
        }
        return operands.count == 1 ? operands[0] : .xor(operands)
    }

    private mutating func parseAnd() throws -> LibertyExpression {
        var operands = [try parseUnary()]
        while let next = peek() {
            if next == "&" || next == "*" {
                index += 1
            } else if !(next == "(" || next == "!" || next == "0" || next == "1" || Self.isNameStart(next)) {
                break
            }
            // Otherwise juxtaposition: the next primary is ANDed in.
            operands.append(try parseUnary())
        }
        return operands.count == 1 ? operands[0] : .and(operands)
    }

    private mutating func parseUnary() throws -> LibertyExpression {
        if peek() == "!" {
            index += 1
            return .not(try parseUnary())
        }
        var operand = try parsePrimary()
        while peek() == "'" {
            index += 1
            operand = .not(operand)
        }
        return operand
    }

    private mutating func parsePrimary() throws -> LibertyExpression {
        guard let next = peek() else { throw error("ends where an operand is expected") }
        if next == "(" {
            index += 1
            let inner = try parseOr()
            guard peek() == ")" else { throw error("missing ')' at column \(index + 1)") }
            index += 1
            return inner
        }
        if next == "0" || next == "1" {
            index += 1
            if index < characters.count, Self.isNameCharacter(characters[index]) {
                throw error("bad constant or name at column \(index)")
            }
            return .constant(next == "1")
        }
        guard Self.isNameStart(next) else { throw error("unexpected '\(next)' at column \(index + 1)") }
        let start = index
        while index < characters.count, Self.isNameCharacter(characters[index]) { index += 1 }
        return .variable(String(characters[start..<index]))
    }
}
