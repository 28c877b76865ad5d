import Cosim
import Foundation
import HDL
import Testing

/// Each bug the DSL fuzzer found, as the minimal design that shows it (docs/fuzzing.md).
@Suite struct FoundBugsTests {
    init() { ProjectTools.activate() }

    /// Seed 2026 designs 197 and 199: Verilator 5.048's DFG peephole folded `(a << b) << c` into
    /// `a << (b + c)` with the sum in the 1-bit width of the amounts, so 1 + 1 shifted by 0
    /// (verilator#7955). `ToolWorkarounds.verilatorFlags` turns that rewrite off.
    static func shiftOfShift() -> Module {
        Module("ShiftOfShift") {
            let r = Input("r", .uint(7))
            let w = Input("w", .uint(13))
            let v = Input("v", .uint(2))
            let y = Output("y", .uint(7))
            let below = w <= r.zext(to: 13)
            y <== (r &<< (below &+ w[0])) &<< (v >= below.zext(to: 2))
        }
    }

    /// Mismatches of a Verilator model built with `flags` against the IR simulator, over every
    /// `r` and `v` and a spread of `w`.
    func verilatorMismatches(extraFlags: [String]) throws -> Int {
        let design = try Design(top: Self.shiftOfShift())
        let reference = try Testbench(design, backend: .irSim)
        let options = TestbenchOptions(maxReports: 5, verilator: VerilatorOptions(optimization: "-O0", extraVerilatorFlags: extraFlags))
        let model = try Testbench(design, backend: .verilator, options: options)
        for r in 0..<128 {
            for w in [0, 1, 0x4D, 0x4C, 0x7F, 0x80, 0x1FFF, 0x1FFE] {
                for v in 0..<4 {
                    for tb in [reference, model] {
                        try tb.poke("r", r); try tb.poke("w", w); try tb.poke("v", v)
                    }
                    try model.expect("y", try reference.peek("y"))
                }
            }
        }
        do { return try model.finish().failed } catch let failure as TestbenchFailure { return failure.report.failed }
    }

    @Test func shiftOfShiftAgreesWithTheWorkaround() throws {
        #expect(try verilatorMismatches(extraFlags: []) == 0)
    }

    /// Proves the test still sees the bug: with the rewrite turned back on, the pinned Verilator
    /// 5.048 miscompiles. When a Verilator with the fix is pinned, this fails: drop the workaround.
    @Test func shiftOfShiftMiscompilesWithoutIt() throws {
        #expect(try verilatorMismatches(extraFlags: ["-fdfg-peephole-replace-shiftl-shiftl"]) > 0)
    }
}
