import Cosim
import DSLFuzz
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

    /// Seed 1 design 34: Yosys 0.23's `opt_muxtree` miscompiles a `case` whose separate arms
    /// assign the same value (bit 0 of `s` came out 0: yosys#5957, fixed in 0.66). The emitter
    /// folds arms that print the same into one arm with both labels.
    static func identicalArms() -> Module {
        Module("IdenticalArms") {
            let a = Input("a", .uint(33))
            let y = Output("y", .uint(66))
            let low = a.truncate(to: 9)
            let w = Wire("w", .uint(33))
            w <== Const(0, .uint(33))
            When(low.orReduce()) { w <== low.zext(to: 33) }
            let s = Wire("s", .uint(66))
            Switch(low[0]) {
                Case(1) { s <== w.zext(to: 66) }
                Case(0) { s <== w.zext(to: 66) }
                Default { s <== Const(0, .uint(66)) }
            }
            y <== s
        }
    }

    @Test func identicalCaseArmsSurviveYosys() throws {
        let text = SystemVerilogEmitter().emitSingleText(try Design(top: Self.identicalArms()))
        #expect(text.contains("1'h1, 1'h0: begin"), "\(text)")
        var shrinker = Shrinker(simulator: .yosysNetlist, port: "y", seed: 1, warmUp: 2, cycles: 300)
        #expect(shrinker.failure(of: Self.identicalArms()) == nil)
        #expect(shrinker.trials == 1)
    }

    /// Proves the test still sees the bug: with the rewrite turned back on, the pinned Verilator
    /// 5.048 miscompiles. When a Verilator with the fix is pinned, this fails: drop the workaround.
    @Test func shiftOfShiftMiscompilesWithoutIt() throws {
        #expect(try verilatorMismatches(extraFlags: ["-fdfg-peephole-replace-shiftl-shiftl"]) > 0)
    }
}

/// The shrinker on a real bug: the shift-of-shift design buried in unrelated logic, with the
/// Verilator rewrite turned back on, shrinks to the few nodes that still disagree on `y`.
@Suite struct ShrinkerTests {
    init() { ProjectTools.activate() }

    static func buried() -> Module {
        Module("Buried") {
            let r = Input("r", .uint(7))
            let w = Input("w", .uint(13))
            let v = Input("v", .uint(2))
            let noise = Input("noise", .uint(16))
            let y = Output("y", .uint(7))
            let z = Output("z", .uint(16))
            let acc = Reg("acc", .uint(16), reset: 0)
            acc <== acc &+ (noise ^ w.zext(to: 16))
            z <== mux(noise[3], acc, ~noise)
            let t = Wire("t", .uint(7))
            t <== r
            When(noise[0] && noise[1]) { t <== r }
            let below = w <= t.zext(to: 13)
            y <== (t &<< (below &+ w[0])) &<< (v >= below.zext(to: 2))
        }
    }

    @Test func aBuriedMiscompileShrinksToItsCone() throws {
        var shrinker = Shrinker(simulator: .verilator, port: "y", seed: 5, warmUp: 2, cycles: 300)
        shrinker.verilatorFlags = ["-fdfg-peephole-replace-shiftl-shiftl"]
        let original = Self.buried()
        let shrunk = shrinker.shrink(original)
        let (module, mismatch) = try #require(shrunk)
        #expect(mismatch.port.name == "y")
        #expect(module.nodes.count < original.nodes.count / 2, "\(original.nodes.count) -> \(module.nodes.count)")
        #expect(!module.signals.contains { $0.name == "acc" || $0.name == "z" })
        let dsl = DSLSourcePrinter(module).text
        #expect(dsl.contains("y <== ") && dsl.contains("&<<"), "\(dsl)")
        let text = SystemVerilogEmitter().emitSingleText(try Design(top: module))
        #expect(text.contains("assign y = (t << w[0]) << "), "\(text)")
        // The same design agrees once the workaround is back.
        var fixed = Shrinker(simulator: .verilator, port: "y", seed: 5, warmUp: 2, cycles: 300)
        #expect(fixed.failure(of: original) == nil)
    }
}
