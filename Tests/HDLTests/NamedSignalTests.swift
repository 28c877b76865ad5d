import HDL
import Testing

/// `Signal.named(_:)`: an intermediate value becomes a wire with the source's name in the
/// emitted Verilog, continuous whatever `When` is open, unique within its module.
@Suite struct NamedSignalTests {
    static let module = Module("NamedMux") {
        let a = Input("a", .uint(8)), b = Input("b", .uint(8))
        let sel = Input("sel", .bool)
        let y = Output("y", .uint(9))
        let z = Output("z", .uint(8))
        // Named inside a When: the wire still follows a and b when the branch is not taken.
        When(sel) {
            let sum = (a.zext(to: 9) &+ b.zext(to: 9)).named("sum")
            y <== sum
        }.Otherwise {
            y <== 0
        }
        // The same name again, and a port's name: suffixed, not a duplicate.
        let both = (a & b).named("sum")
        z <== (both | a.named("a")).named("combined")
    }

    @Test func emitsWiresWithTheSourceNames() throws {
        let text = SystemVerilogEmitter().emitSingleText(try Design(top: Self.module))
        for declaration in ["logic [8:0] sum;", "logic [7:0] sum_1;", "logic [7:0] a_1;", "logic [7:0] combined;"] {
            #expect(text.contains(declaration), "missing \(declaration) in\n\(text)")
        }
        #expect(text.contains("assign z = combined;"))
        let files = SystemVerilogEmitter().emit(try Design(top: Self.module))
        try ToolCheck.lint(files, top: "NamedMux")
    }

    @Test func namedWiresAreContinuous() throws {
        let sim = try IRSimulator(Design(top: Self.module))
        try sim.poke("a", 200)
        try sim.poke("b", 100)
        try sim.poke("sel", 0)
        sim.step()
        #expect(try sim.peek("sum") == BitVector(300, width: 9))
        #expect(try sim.peek("y") == BitVector(0, width: 9))
        try sim.poke("sel", 1)
        sim.step()
        #expect(try sim.peek("y") == BitVector(300, width: 9))
        #expect(try sim.peek("z") == BitVector((200 & 100) | 200, width: 8))
    }
}
