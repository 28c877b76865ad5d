import HDL
import Testing

/// Deliberately wrong designs, one per check: each asserts the exact message and line.
@Suite struct DiagnosticCatalogueTests {
    /// The diagnostics `Design(top:)` throws for `module` (empty when it elaborates).
    func diagnostics(_ module: Module) -> [String] {
        do {
            _ = try Design(top: module)
            return []
        } catch let error as ElaborationError {
            return error.diagnostics.map(\.description)
        } catch {
            return ["unexpected error \(error)"]
        }
    }

    @Test func widthMismatchOnAssignment() {
        let line = #line + 4
        let module = Module("WidthMismatch") {
            let a = Input("a", .uint(8))
            let y = Output("y", .uint(8))
            y <== a + a
        }
        #expect(diagnostics(module) == [
            "DiagnosticCatalogueTests.swift:\(line): error: width mismatch: cannot assign a 9-bit value to 8-bit 'y' (use zext/sext/truncate)",
        ])
    }

    @Test func widthMismatchInWrappingOperator() {
        let line = #line + 5
        let module = Module("WrapMismatch") {
            let a = Input("a", .uint(8))
            let b = Input("b", .uint(4))
            let y = Output("y", .uint(8))
            y <== a &+ b
        }
        #expect(diagnostics(module) == [
            "DiagnosticCatalogueTests.swift:\(line): error: width mismatch: '&+' needs operands of equal width, got 8 and 4 bits",
        ])
    }
}
