import Circuits
import Golden
import HDL
import Testing

/// The IterNorm macro against the golden model, bit for bit, in Verilator: every edge class and
/// random vectors, streamed back to back with and without output back-pressure.
@Suite("IterNorm macro co-simulation")
struct IterNormMacroTests {
    private func cosim(_ cfg: IterNormConfig, d: Int, random: Int, backPressure: Double = 0,
                       seed: UInt64 = 1) throws -> IterNormCosimReport {
        let macro = try IterNormMacro(cfg)
        let sim = try VerilatorIterNormSimulator(try macro.design())
        var stimulus = IterNormStimulus(cfg, seed: seed)
        let vectors = (0..<(IterNormStimulus.edgeKinds.count + random)).map { stimulus.vector($0, d: d) }
        let report = try IterNormCosimulation(macro: macro, simulator: sim).run(vectors, backPressure: backPressure, seed: seed)
        #expect(report.mismatches == 0, "\(cfg) d=\(d): \(report.mismatchDetails.joined(separator: "\n"))")
        #expect(report.latencyCycles == macro.latency(d: d), "\(cfg) d=\(d)")
        return report
    }

    @Test("small LayerNorm and RMSNorm configurations, every format",
          arguments: [FloatFormat.fp32, .bf16, .fp16], IterNormMode.allCases)
    func small(format: FloatFormat, mode: IterNormMode) throws {
        let cfg = try IterNormConfig(format: format, lanes: 4, dMax: 16, mode: mode)
        _ = try cosim(cfg, d: 16, random: 20)
        _ = try cosim(cfg, d: 4, random: 10, backPressure: 0.3, seed: 2)
    }
}
