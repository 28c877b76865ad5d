import Foundation
import Silicon
import Testing

/// A file the reader cannot use fails with one line that names the file and the line at fault.
struct LibertyErrorTests {
    /// The message of the `LibertyError` that reading `text` throws.
    private func failure(_ text: String) -> String {
        do {
            _ = try LibertyLibrary(text: text, path: "bad.lib")
            return "no error"
        } catch let error as LibertyError {
            return error.description
        } catch {
            return "not a LibertyError: \(error)"
        }
    }

    private let goodCell = "cell (c) {\n  area : 1 ;\n  pin (a) { direction : input ; }\n}\n"

    @Test func unbalancedBrace() {
        let message = failure("library (x) {\n" + goodCell + "cell (d) {\n  area : 2 ;\n")
        #expect(message == "liberty bad.lib: line 6: unbalanced braces: group 'cell' opened here is never closed")
        let extra = failure("library (x) {\n" + goodCell + "}\n}\n")
        #expect(extra == "liberty bad.lib: line 7: unexpected '}' after the end of group 'library'")
    }

    @Test func missingSemicolon() {
        let message = failure("library (x) {\n  time_unit : \"1ns\"\n" + goodCell + "}\n")
        #expect(message == "liberty bad.lib: line 2: missing ';' after attribute 'time_unit : 1ns'")
        let complex = failure("library (x) {\n  capacitive_load_unit (1, pf)\n" + goodCell + "}\n")
        #expect(complex == "liberty bad.lib: line 2: missing ';' after complex attribute 'capacitive_load_unit(...)'")
    }

    @Test func garbage() {
        #expect(failure("%%% not liberty") == "liberty bad.lib: line 1: expected '(' after '%%%' at the top level")
        #expect(failure("") == "liberty bad.lib: line 1: empty file: no library group")
        #expect(failure("library (x) {\n\n  : : ;\n}") == "liberty bad.lib: line 3: expected an attribute or group name, found ':'")
        #expect(failure("library (x) {\n /* never closed\n}") == "liberty bad.lib: line 2: unterminated comment")
        #expect(failure("library (x) {\n a : \"open\n}") == "liberty bad.lib: line 2: unterminated string")
    }

    @Test func meaningErrors() {
        #expect(failure("library (x) {\n}") == "liberty bad.lib: line 1: library 'x' has no cells")
        #expect(failure("library (x) {\ncell (c) {\n pin (a) { direction : input ; }\n}\n}")
            == "liberty bad.lib: line 2: cell c has no area")
        #expect(failure("library (x) {\ncell (c) {\n area : 1 ;\n pin (y) {\n  direction : output ;\n  function : \"(a &\" ;\n }\n}\n}")
            == "liberty bad.lib: line 6: function: expression \"(a &\": ends where an operand is expected")
        #expect(failure("library (x) {\n time_unit : \"1 fortnight\" ;\ncell (c) { area : 1 ; }\n}")
            .hasPrefix("liberty bad.lib: line 2: time_unit '1 fortnight' is not a known unit"))
        #expect(failure("library (x) {\ncell (c) {\n area : big ;\n}\n}") == "liberty bad.lib: line 3: area 'big' is not a number")
    }

    @Test func everyMessageIsOneLine() {
        let message = failure("library (x) {\n  time_unit : \"1ns\"\n" + goodCell + "}\n")
        #expect(!message.contains("\n"))
    }

    @Test func missingFile() {
        let url = URL(fileURLWithPath: "/nonexistent/normforge/missing.lib")
        #expect(throws: LibertyError(path: url.path, line: nil, message: "no such file")) {
            try LibertyLibrary(contentsOf: url)
        }
        #expect(LibertyError(path: url.path, line: nil, message: "no such file").description
            == "liberty /nonexistent/normforge/missing.lib: no such file")
    }
}
