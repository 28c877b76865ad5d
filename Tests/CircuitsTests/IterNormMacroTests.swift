import Circuits
import Foundation
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

    static let long = ProcessInfo.processInfo.environment["NORMFORGE_LONG"] == "1"

    /// Every format with both modes in the long suite; three representative pairs by default.
    static let formatModes: [(FloatFormat, IterNormMode)] = long
        ? [FloatFormat.fp32, .bf16, .fp16].flatMap { f in IterNormMode.allCases.map { (f, $0) } }
        : [(.fp32, .layerNorm), (.bf16, .rmsNorm), (.fp16, .layerNorm)]

    @Test("small configurations: multi-beat, single-beat with output back-pressure", arguments: formatModes)
    func small(format: FloatFormat, mode: IterNormMode) throws {
        let cfg = try IterNormConfig(format: format, lanes: 4, dMax: 16, mode: mode)
        _ = try cosim(cfg, d: 16, random: 20)
        _ = try cosim(cfg, d: 4, random: 10, backPressure: 0.3, seed: 2)
    }

    @Test("no affine, eps, accumulation in the I/O format, K = 1 and eta = 1/4")
    func variants() throws {
        let ln = try IterNormConfig(format: .fp16, accumulate: .fp16, lanes: 8, dMax: 32, iterations: 1,
                                    mode: .layerNorm, affine: false, eps: 1e-3)
        _ = try cosim(ln, d: 32, random: 12)
        let rms = try IterNormConfig(format: .bf16, lanes: 2, dMax: 8, iterations: 3, etaShift: 2,
                                     mode: .rmsNorm, affine: false, eps: 1e-5)
        _ = try cosim(rms, d: 8, random: 12, backPressure: 0.2)
    }

    @Test("the generator rejects the vector form with a clear error")
    func vectorFormRejected() throws {
        let cfg = try IterNormConfig(lanes: 4, dMax: 16, form: .vector)
        #expect(throws: IterNormError.self) { try IterNormMacro(cfg) }
    }
}
