import CircuitCosim
import Circuits
import Cosim
import Foundation
import Golden
import Testing

/// The IterNorm macro with BFP ports: its constraints, its composed golden model on hand-derived
/// cases, and co-simulation against that golden model bit for bit (edge classes and random
/// vectors, with input bubbles and output back-pressure).
@Suite("IterNorm with BFP ports")
struct IterNormBFPTests {
    static let mxint8 = try! BFPFormat.preset(named: "mxint8")
    static let e4m3 = try! BFPFormat.preset(named: "mxfp8-e4m3")

    @Test("block size, lanes and d are checked with clear errors")
    func constraints() throws {
        let norm = try IterNormConfig(format: .fp32, lanes: 8, dMax: 64)
        #expect(throws: IterNormError.self) {  // lanes do not divide k
            try IterNormBFPConfig(iterNorm: IterNormConfig(format: .fp32, lanes: 64, dMax: 128), input: Self.mxint8, output: Self.mxint8)
        }
        #expect(throws: IterNormError.self) {  // d-max not a whole number of blocks
            try IterNormBFPConfig(iterNorm: IterNormConfig(format: .fp32, lanes: 8, dMax: 48), input: Self.mxint8, output: Self.mxint8)
        }
        let k16 = try BFPFormat(blockSize: 16, element: .int(magnitudeBits: 7))
        let cfg = try IterNormBFPConfig(iterNorm: norm, input: k16, output: Self.e4m3)
        #expect(cfg.dGranule == 32)
        #expect(Array(cfg.legalD) == [32, 64])
        #expect(throws: IterNormError.self) { try cfg.validate(d: 16) }  // not a whole output block
        #expect(throws: IterNormError.self) { try cfg.validate(d: 128) }  // beyond d-max
        #expect(throws: IterNormError.self) {  // 64 beats per block at most (the quantizer's limit)
            try IterNormBFPConfig(iterNorm: IterNormConfig(format: .fp32, lanes: 1, dMax: 256),
                                  input: Self.mxint8, output: BFPFormat(blockSize: 128, element: .int(magnitudeBits: 7)))
        }
    }

    @Test("golden model: all-equal and NaN-scale vectors, derived by hand")
    func goldenHandCases() throws {
        let rms = try IterNormBFPConfig(iterNorm: IterNormConfig(format: .bf16, lanes: 8, dMax: 64, mode: .rmsNorm, affine: false),
                                        input: Self.mxint8, output: Self.e4m3)
        var golden = try IterNormBFPGolden(rms)
        // RMSNorm of a zero vector is zero; an all-zero output block gets the smallest scale
        // (field 0) and zero elements.
        let zero = BFPBlock(scale: 120, elements: Array(repeating: 0, count: 32))
        #expect(try golden.normalize([zero, zero]) == Array(repeating: BFPBlock(scale: 0, elements: Array(repeating: 0, count: 32)), count: 2))
        let equal = BFPBlock(scale: 130, elements: Array(repeating: 37, count: 32))
        let ln = try IterNormBFPConfig(iterNorm: IterNormConfig(format: .fp32, lanes: 8, dMax: 64, mode: .layerNorm),
                                       input: Self.mxint8, output: Self.mxint8)
        golden = try IterNormBFPGolden(ln)
        let beta = (0..<64).map { FloatFormat.fp32.fromDouble(Double($0 % 8) / 4 - 1) }  // -1 ... 0.75
        let gamma = Array(repeating: FloatFormat.fp32.fromDouble(1), count: 64)
        // LayerNorm of an all-equal vector is beta: amax 1 -> shared exponent 0 -> int = beta * 64.
        let out = try golden.normalize([equal, equal], gamma: gamma, beta: beta)
        let codes = (0..<32).map { i -> UInt64 in UInt64(bitPattern: Int64((i % 8) * 16 - 64)) & 0xFF }
        #expect(out == [BFPBlock(scale: 127, elements: codes), BFPBlock(scale: 127, elements: codes)])
        // A NaN scale makes the whole vector NaN: every output block has the NaN scale.
        let nan = BFPBlock(scale: BFPBlock.nanScale, elements: Array(repeating: 0, count: 32))
        for block in try golden.normalize([equal, nan], gamma: gamma, beta: beta) {
            #expect(block.isNaN)
        }
    }

    @Test("emitted SystemVerilog: the top's header lists every parameter; lint-clean and Icarus-clean")
    func emission() throws {
        let cfg = try IterNormBFPConfig(iterNorm: IterNormConfig(format: .bf16, lanes: 8, dMax: 64, mode: .rmsNorm),
                                        input: Self.mxint8, output: Self.e4m3.with(rounding: .stochastic), seed: 7)
        let macro = try IterNormBFPMacro(cfg)
        let files = try macro.emit()
        #expect(files.last?.moduleName == macro.topName)
        let top = try #require(files.last).text
        for line in macro.parameterLines { #expect(top.contains("// " + line + "\n"), "header misses \(line)") }
        for expected in ["bfp_in_element = int:7", "bfp_out_element = fp:4:3", "bfp_out_rounding = stochastic",
                         "bfp_out_lfsr_seed = 7", "format = bf16", "lanes = 8", "mode = rmsnorm"] {
            #expect(macro.parameterLines.contains(expected), "\(expected)")
        }
        #expect(Set(files.map(\.moduleName)).count == files.count)
        try FPToolCheck.lintAndIcarus(try macro.module())
    }

    private func cosim(_ cfg: IterNormBFPConfig, d: Int, random: Int, bubbles: Double = 0, backPressure: Double = 0,
                       seed: UInt64 = 1) throws -> IterNormBFPCosimReport {
        var stimulus = try IterNormBFPStimulus(config: cfg, d: d, seed: seed)
        let vectors = try (0..<(stimulus.edgeKinds.count + random)).map { try stimulus.vector($0) }
        if cfg.output.rule == .floor {
            #expect(vectors.contains { $0.kind == "saturation" })
        }
        let macro = try IterNormBFPMacro(cfg)
        let report = try IterNormBFPCosimulation(macro: macro, backend: .verilator)
            .run(vectors, gamma: stimulus.gamma, beta: stimulus.beta, bubbleProbability: bubbles,
                 backPressure: backPressure, seed: seed)
        #expect(report.mismatches == 0, "\(cfg.iterNorm) d=\(d):\n\(report.mismatchDetails.map(\.description).joined(separator: "\n"))")
        #expect(report.latencyCycles == macro.latency(d: d))
        #expect(report.latencyCycles == report.macroLatencyCycles + macro.edgeLatency)
        return report
    }

    @Test("MXINT8 in, MXFP8-E4M3 out, FP32 LayerNorm with affine, input bubbles and output back-pressure")
    func mxint8ToE4M3LayerNorm() throws {
        let cfg = try IterNormBFPConfig(iterNorm: IterNormConfig(format: .fp32, lanes: 8, dMax: 64, mode: .layerNorm),
                                        input: Self.mxint8, output: Self.e4m3)
        let report = try cosim(cfg, d: 64, random: 16, bubbles: 0.1, backPressure: 0.3)
        #expect(report.outputBeats == report.vectors * 8)
    }

    @Test("MXFP8-E4M3 in, hbfp8 (k = 16, ceil) stochastic out, FP16 RMSNorm without affine, back-pressure")
    func e4m3ToHBFPRMSNorm() throws {
        let output = try BFPFormat.preset(named: "hbfp8").with(rounding: .stochastic)
        let cfg = try IterNormBFPConfig(iterNorm: IterNormConfig(format: .fp16, lanes: 4, dMax: 64, mode: .rmsNorm, affine: false),
                                        input: Self.e4m3, output: output, seed: 0xACE1)
        _ = try cosim(cfg, d: 32, random: 12, backPressure: 0.2, seed: 3)
    }

    static let long = ProcessInfo.processInfo.environment["NORMFORGE_LONG"] == "1"

    @Test("long: every MX preset in and out (BF16, both modes), 300 random vectors each, with stalls",
          .enabled(if: long), arguments: BFPFormat.presets.map(\.name).filter { $0.hasPrefix("mx") })
    func everyPreset(name: String) throws {
        let format = try BFPFormat.preset(named: name)
        for mode in IterNormMode.allCases {
            let cfg = try IterNormBFPConfig(iterNorm: IterNormConfig(format: .bf16, lanes: 8, dMax: 64, mode: mode),
                                            input: format, output: format)
            _ = try cosim(cfg, d: 64, random: 300, bubbles: 0.1, backPressure: 0.2, seed: 11)
        }
    }
}
