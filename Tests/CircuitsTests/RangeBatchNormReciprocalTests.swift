import Circuits
import Cosim
import Golden
import HDL
import Testing

/// The range-BN reciprocal circuit against `RangeBatchNorm.reciprocal`, bit for bit, on Verilator
/// and the IR simulator: every special, both subnormal seeds, the overflowing seed, and random d
/// over the whole FP32 range.
@Suite struct RangeBatchNormReciprocalTests {
    static func inputs() -> [UInt32] {
        var values: [UInt32] = [0, 0x8000_0000, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0x7F80_0001,
                                0x7F00_0000, 0x7F7F_FFFF, 0x7E80_0000, 0x0000_0001, 0x0040_0000, 0x0020_0000,
                                0x0080_0000, 0x3F80_0000, 0xBFC0_0000]
        var rng = SeededRandom(seed: 8)
        for _ in 0..<3000 {
            let field = UInt32.random(in: 0...255, using: &rng)
            values.append(UInt32.random(in: 0...1, using: &rng) << 31 | field << 23 | UInt32.random(in: 0..<(1 << 23), using: &rng))
        }
        return values
    }

    @Test(arguments: [SimulationBackend.verilator, .irSim])
    func matchesGolden(_ backend: SimulationBackend) throws {
        let tb = try Testbench(Design(top: RangeBNReciprocalCircuit.module(steps: 5)), backend: backend)
        try tb.reset()
        let inputs = Self.inputs(), latency = RangeBNReciprocalCircuit.latency(steps: 5)
        // One value per cycle; the result of input j leaves the pipeline `latency` edges later.
        for i in 0..<(inputs.count + latency - 1) {
            try tb.poke("in_valid", i < inputs.count ? 1 : 0)
            try tb.poke("d", UInt64(i < inputs.count ? inputs[i] : 0))
            try tb.step()
            let j = i - (latency - 1)
            guard j >= 0 else {
                try tb.expect("out_valid", 0)
                continue
            }
            try tb.expect("out_valid", 1)
            try tb.expect("r", RangeBatchNorm.reciprocal(UInt64(inputs[j]), steps: 5))
        }
        let report = try tb.finish()
        #expect(report.succeeded, "\(report)")
    }

    @Test func badStepsAreAnError() {
        #expect(throws: RangeBatchNormError.self) { try RangeBNReciprocalCircuit.module(steps: 0) }
    }
}
