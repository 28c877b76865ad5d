import CircuitCosim
import Circuits
import Cosim
import Foundation
import Golden
import HDL
import Testing

/// One co-simulated configuration: one Verilator build, several vector lengths streamed through it.
struct IterNormCosimCase: Sendable, CustomTestStringConvertible {
    let config: IterNormConfig?
    /// Vector lengths, each with its number of random vectors after the edge classes.
    let runs: [(d: Int, random: Int)]
    /// Fraction of cycles with the output held back, in the second run.
    var backPressure = 0.0
    /// Vector buffer slots.
    var slots = IterNormMacro.defaultSlots

    var testDescription: String {
        "\(config.map(\.description) ?? "invalid") d=\(runs.map(\.d))" + (slots == IterNormMacro.defaultSlots ? "" : " slots=\(slots)")
    }
}

/// The IterNorm macro against the golden model, bit for bit, in Verilator: every edge class and
/// random vectors, streamed back to back with and without output back-pressure, and the
/// latency against `IterNormMacro.latency(d:)`.
@Suite("IterNorm macro co-simulation")
struct IterNormMacroTests {
    private func cosim(_ c: IterNormCosimCase, options: TestbenchOptions = TestbenchOptions()) throws {
        let config = try #require(c.config, "the test case's parameters are invalid")
        let macro = try IterNormMacro(config, slots: c.slots)
        for (index, run) in c.runs.enumerated() {
            var stimulus = IterNormStimulus(config, seed: UInt64(index + 1))
            let vectors = (0..<(IterNormStimulus.edgeKinds.count + run.random)).map { stimulus.vector($0, d: run.d) }
            let backPressure = index == 1 ? c.backPressure : 0
            let report = try IterNormCosimulation(macro: macro, backend: .verilator, options: options)
                .run(vectors, backPressure: backPressure, seed: UInt64(index + 1))
            #expect(report.mismatches == 0, "\(config) d=\(run.d): \(report.mismatchDetails.map(\.description).joined(separator: "\n"))")
            #expect(report.vectors == vectors.count)
            #expect(report.latencyCycles == macro.latency(d: run.d), "\(config) d=\(run.d)")
        }
    }

    /// Every format in both forms, both modes with and without affine in each form, lane counts
    /// 2, 4 and 8, eps, accumulation in the I/O format, K = 1 and 2, eta = 1/4: six builds.
    static let matrix: [IterNormCosimCase] = {
        func config(_ format: FloatFormat, _ form: IterNormForm, _ mode: IterNormMode, lanes: Int, dMax: Int,
                    affine: Bool = true, accumulate: FloatFormat? = nil, iterations: Int = 5, etaShift: Int = 1,
                    eps: Double = 0) -> IterNormConfig? {
            try? IterNormConfig(format: format, accumulate: accumulate, lanes: lanes, dMax: dMax, iterations: iterations,
                                etaShift: etaShift, form: form, mode: mode, affine: affine, eps: eps)
        }
        return [
            IterNormCosimCase(config: config(.fp32, .scalar, .layerNorm, lanes: 4, dMax: 16),
                              runs: [(16, 12), (4, 8)], backPressure: 0.3),
            IterNormCosimCase(config: config(.bf16, .scalar, .rmsNorm, lanes: 2, dMax: 8, affine: false,
                                             iterations: 3, etaShift: 2, eps: 1e-5),
                              runs: [(8, 12), (2, 6)], backPressure: 0.2),
            IterNormCosimCase(config: config(.fp16, .scalar, .layerNorm, lanes: 8, dMax: 32, accumulate: .fp16,
                                             iterations: 1, eps: 1e-3),
                              runs: [(32, 12), (16, 6)]),
            IterNormCosimCase(config: config(.fp32, .vector, .rmsNorm, lanes: 2, dMax: 8, affine: false),
                              runs: [(8, 10), (4, 6)], backPressure: 0.3),
            IterNormCosimCase(config: config(.bf16, .vector, .layerNorm, lanes: 4, dMax: 16, eps: 1e-3),
                              runs: [(16, 10), (8, 6)], backPressure: 0.2),
            IterNormCosimCase(config: config(.fp16, .vector, .layerNorm, lanes: 8, dMax: 16, affine: false,
                                             iterations: 2),
                              runs: [(16, 10), (8, 6)]),
            IterNormCosimCase(config: config(.fp16, .vector, .rmsNorm, lanes: 4, dMax: 8), runs: [(8, 10), (4, 6)]),
            // Six slots (not a power of two): more vectors in flight, under back-pressure.
            IterNormCosimCase(config: config(.bf16, .scalar, .layerNorm, lanes: 2, dMax: 16),
                              runs: [(16, 12), (6, 8)], backPressure: 0.3, slots: 6),
        ]
    }()

    @Test("small configurations", arguments: matrix)
    func small(_ c: IterNormCosimCase) throws {
        try cosim(c)
    }

    /// The wide mode (docs/precision.md) as issue 12 names it: FP32 LayerNorm and BF16 RMSNorm,
    /// P = 8, d_max = 256, 500 vectors at d = 256 (the edge classes first), then d = 64 under
    /// back-pressure; one with eps.
    @Test("wide mode, P = 8, d_max = 256", arguments: [(FloatFormat.fp32, IterNormMode.layerNorm, 0.0), (.bf16, .rmsNorm, 1e-5)])
    func wide(format: FloatFormat, mode: IterNormMode, eps: Double) throws {
        let config = try IterNormConfig(format: format, lanes: 8, dMax: 256, mode: mode, eps: eps, wide: true)
        try cosim(IterNormCosimCase(config: config, runs: [(256, 500 - IterNormStimulus.edgeKinds.count), (64, 40)],
                                    backPressure: 0.3))
    }

    /// With enough slots (latency / nb) the scalar form streams at the full P elements per cycle:
    /// P = 2, d = 32 (nb = 16, latency 3 nb + 39 = 87): three slots give a vector every
    /// ~29 cycles, six every 16. Both bit-exact.
    @Test func moreSlotsStreamAtTheFullRate() throws {
        let config = try IterNormConfig(format: .fp32, lanes: 2, dMax: 32)
        var rates: [Int: Double] = [:]
        for slots in [3, 6] {
            let macro = try IterNormMacro(config, slots: slots)
            var stimulus = IterNormStimulus(config, seed: 5)
            let vectors = (0..<30).map { stimulus.vector(IterNormStimulus.edgeKinds.count + $0, d: 32) }
            let report = try IterNormCosimulation(macro: macro, backend: .verilator).run(vectors, seed: 5)
            #expect(report.mismatches == 0, "slots \(slots): \(report.mismatchDetails.map(\.description).joined(separator: "\n"))")
            #expect(report.latencyCycles == macro.latency(d: 32))
            rates[slots] = report.cyclesPerVector
        }
        #expect(rates[6]! <= 16.1, "\(rates)")
        #expect(rates[3]! > 20, "\(rates)")
    }

    static let long = ProcessInfo.processInfo.environment["NORMFORGE_LONG"] == "1"

    /// The default macro (64 lanes, d_max 1024, K = 5, affine) at the shortest and longest d.
    /// Verilator turns it into ~47 MB of C++: at -O2 one build costs ~8 CPU minutes, at -O0 ~30 s,
    /// and the few thousand cycles simulated here do not need an optimized model.
    /// The checked-in wide macro too (FP32 LayerNorm).
    @Test("P = 64, d_max = 1024", arguments: [(FloatFormat.fp32, IterNormMode.layerNorm, false), (.bf16, .rmsNorm, false),
                                              (.fp32, .layerNorm, true)])
    func full(format: FloatFormat, mode: IterNormMode, wide: Bool) throws {
        let config = try IterNormConfig(format: format, lanes: 64, dMax: 1024, mode: mode, wide: wide)
        let unoptimized = TestbenchOptions(verilator: VerilatorOptions(optimization: "-O0"))
        try cosim(IterNormCosimCase(config: config, runs: [(64, 4), (1024, 2)]), options: unoptimized)
    }


    /// Every format, form, mode and affine setting at 4 lanes (long suite: 24 builds).
    @Test(.enabled(if: long), arguments: [FloatFormat.fp32, .bf16, .fp16])
    func everyCombination(format: FloatFormat) throws {
        for form in IterNormForm.allCases {
            for mode in IterNormMode.allCases {
                for affine in [true, false] {
                    let config = try IterNormConfig(format: format, lanes: 4, dMax: 16, form: form, mode: mode, affine: affine)
                    try cosim(IterNormCosimCase(config: config, runs: [(16, 30), (4, 20)], backPressure: 0.3))
                }
            }
        }
    }
}
