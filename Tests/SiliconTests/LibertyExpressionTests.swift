import Silicon
import Testing

/// The Boolean expression parser: every syntax, the precedence, and evaluation.
struct LibertyExpressionTests {
    private let a = LibertyExpression.variable("A"), b = LibertyExpression.variable("B")
    private let c = LibertyExpression.variable("C")

    @Test func syntaxes() throws {
        #expect(try LibertyExpression.parse("!A") == .not(a))
        #expect(try LibertyExpression.parse("A'") == .not(a))
        #expect(try LibertyExpression.parse("A''") == .not(.not(a)))
        #expect(try LibertyExpression.parse("A&B") == .and([a, b]))
        #expect(try LibertyExpression.parse("A*B") == .and([a, b]))
        #expect(try LibertyExpression.parse("A B") == .and([a, b]))
        #expect(try LibertyExpression.parse("(!(A B))") == .not(.and([a, b])))
        #expect(try LibertyExpression.parse("A|B") == .or([a, b]))
        #expect(try LibertyExpression.parse("A+B") == .or([a, b]))
        #expect(try LibertyExpression.parse("A^B") == .xor([a, b]))
        #expect(try LibertyExpression.parse(" 0 ") == .constant(false))
        #expect(try LibertyExpression.parse("1") == .constant(true))
        #expect(try LibertyExpression.parse("IQ") == .variable("IQ"))
        #expect(try LibertyExpression.parse("A !B") == .and([a, .not(b)]))
        #expect(try LibertyExpression.parse("(A)(B)") == .and([a, b]))
        #expect(try LibertyExpression.parse("(A+B)'") == .not(.or([a, b])))
    }

    @Test func precedence() throws {
        // NOT > AND > XOR > OR.
        #expect(try LibertyExpression.parse("A+B C") == .or([a, .and([b, c])]))
        #expect(try LibertyExpression.parse("A^B&C") == .xor([a, .and([b, c])]))
        #expect(try LibertyExpression.parse("A|B^C") == .or([a, .xor([b, c])]))
        #expect(try LibertyExpression.parse("!A B") == .and([.not(a), b]))
        #expect(try LibertyExpression.parse("A B'") == .and([a, .not(b)]))
        #expect(try LibertyExpression.parse("A+B+C") == .or([a, b, c]))
    }

    @Test func rejectsMalformed() {
        for text in ["", "A +", "(A", "A)", "A & & B", "2", "A # B", "!"] {
            #expect(throws: LibertyError.self, "\(text)") { try LibertyExpression.parse(text) }
        }
    }

    /// Each expression against its truth table written out by hand (rows A B C = 000 ... 111).
    @Test func evaluatesAgainstHandTruthTables() throws {
        let tables: [(String, [Bool])] = [
            ("(!(A B))", [true, true, true, true, true, true, false, false]),
            ("A+B C", [false, false, false, true, true, true, true, true]),
            ("A^B^C", [false, true, true, false, true, false, false, true]),
            ("(!((A B)+C))", [true, false, true, false, true, false, false, false]),
            ("A' B + C", [false, true, true, true, false, true, false, true]),
            ("(!((S A) + (!S B)))".replacingOccurrences(of: "S", with: "C"),
             [true, true, false, true, true, false, false, false]),
            ("1 ^ A", [true, true, true, true, false, false, false, false]),
        ]
        for (text, table) in tables {
            let expression = try LibertyExpression.parse(text)
            for row in 0..<8 {
                let values = ["A": row & 4 != 0, "B": row & 2 != 0, "C": row & 1 != 0]
                #expect(expression.evaluate(values) == table[row], "\(text) at row \(row)")
            }
        }
    }

    @Test func variablesAndVerilog() throws {
        let expression = try LibertyExpression.parse("!(A B) + IQ ^ 0")
        #expect(expression.variables == ["A", "B", "IQ"])
        #expect(expression.verilog() == "~(A & B) | (IQ ^ 1'b0)")
        #expect(expression.verilog { "p_" + $0 } == "~(p_A & p_B) | (p_IQ ^ 1'b0)")
    }
}
