import HDL
import Testing

/// The statement model: `<==`, `When`, `Switch` and `Memory.write` append to the active block, so
/// plain helper functions produce statements where they are called, with the caller's line.
@Suite struct StatementModelTests {
    static let file = "StatementModelTests.swift"

    /// A plain helper (no result builder) that assigns and opens a `When`.
    static func saturatingIncrement(_ r: Signal, when enable: Signal) {
        When(enable && r != 255) { r <== r &+ 1 }
    }

    /// A plain helper whose assignment has a width mismatch.
    static func badDrive(_ y: Signal, _ a: Signal) {
        y <== a + a
    }

    @Test func helperStatementsLandInTheActiveBlock() throws {
        let module = Module("HelperCounter") {
            let en = Input("en", .bool)
            let clear = Input("clear", .bool)
            let count = Output("count", .uint(8))
            let r = Reg("r", .uint(8), reset: 0)
            When(clear) { r <== 0 }.Otherwise { Self.saturatingIncrement(r, when: en) }
            count <== r
        }
        let sim = try IRSimulator(Design(top: module))
        try sim.poke("rst", 1)
        sim.step()
        try sim.poke("rst", 0)
        try sim.poke("en", 1)
        try sim.poke("clear", 0)
        sim.step(300)
        #expect(try sim.peek("count") == BitVector(255, width: 8))
        try sim.poke("clear", 1)
        sim.step()
        #expect(try sim.peek("count") == BitVector(0, width: 8))
        try sim.poke("clear", 0)
        try sim.poke("en", 0)
        sim.step(3)
        #expect(try sim.peek("count") == BitVector(0, width: 8))
    }

    @Test func helperAssignmentReportsTheCallLine() {
        let line = #line + 4
        let module = Module("HelperWidth") {
            let a = Input("a", .uint(8))
            let y = Output("y", .uint(8))
            Self.badDrive(y, a)
        }
        #expect(diagnostics(module) == ["\(Self.file):\(line): error: width mismatch: cannot assign a 9-bit value to 8-bit 'y' (use zext/sext/truncate)"])
    }

    @Test func assignmentsFromLoopsAndClosures() throws {
        let module = Module("Swap") {
            let a = Input("a", .uint(4)), b = Input("b", .uint(4))
            let ys = Vector("y", count: 2) { Output($0, .uint(4)) }
            zip(ys, [b, a]).forEach { $0 <== $1 }
        }
        let sim = try IRSimulator(Design(top: module))
        try sim.poke("a", 3)
        try sim.poke("b", 9)
        sim.settle()
        #expect(try sim.peek("y_0") == BitVector(9, width: 4))
        #expect(try sim.peek("y_1") == BitVector(3, width: 4))
    }

    @Test func memoryWriteInsideAHelper() throws {
        let module = Module("HelperRAM") {
            let we = Input("we", .bool)
            let addr = Input("addr", .uint(2))
            let data = Input("data", .uint(8))
            let q = Output("q", .uint(8))
            let mem = Memory("mem", depth: 4, .uint(8))
            ({ When(we) { mem.write(addr, data) } })()
            q <== mem.read(addr)
        }
        let sim = try IRSimulator(Design(top: module))
        try sim.poke("we", 1)
        try sim.poke("addr", 2)
        try sim.poke("data", 77)
        sim.step()
        try sim.poke("we", 0)
        sim.step()
        #expect(try sim.peek("q") == BitVector(77, width: 8))
    }

    @Test func elseWhenAfterItsBlockClosedIsReported() {
        let line = #line + 7
        let module = Module("LateElse") {
            let c = Input("c", .bool)
            let y = Output("y", .bool)
            y <== 0
            var chain: WhenChain?
            When(c) { chain = When(c) { y <== 1 } }
            if let chain { chain.Otherwise { y <== 0 } }
        }
        #expect(diagnostics(module).contains("\(Self.file):\(line): error: ElseWhen/Otherwise must directly follow its When, in the same block"))
    }
}
