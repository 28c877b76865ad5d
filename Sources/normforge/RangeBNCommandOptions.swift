import ArgumentParser
import Circuits
import Golden

/// The unit parameters shared by `generate|cosim|synth range-bn`.
struct RangeBNOptions: ParsableArguments {
    @Option(help: "Channels C (a multiple of the block size).")
    var channels: Int = 32
    @Option(help: "Values per channel n (positions N*H*W), split into --chunks chunks.")
    var positions: Int = 64
    @Option(help: "Chunks K of the range statistic (n/K >= 2 values each).")
    var chunks: Int = 8
    @Option(help: "Input (and output) BFP preset: mxint8, mxfp8-e4m3, mxfp8-e5m2, mxfp6-e3m2, mxfp6-e2m3, mxfp4-e2m1, hbfp8.")
    var preset: String = "mxint8"
    @Option(help: "Output BFP preset (default: --preset).")
    var outputPreset: String?
    @Option(help: "Block size g, channels per block (default: the preset's).")
    var block: Int?
    @Option(help: "Output rounding: even, away, zero or stochastic (default: the output preset's).")
    var rounding: String?
    @Option(help: "Elements per beat P, dividing the block size.")
    var lanes: Int = 8
    @Option(help: "eps added to R * C(n).")
    var eps: Double = 1e-5
    @Option(help: "Newton steps of the reciprocal (1...16).")
    var newtonSteps: Int = 5
    @Option(help: "Fraction bits of the statistics accumulator (FP32 exponent; 23...52).")
    var statFractionBits: Int = 31
    @Option(help: "Reset value of the output quantizer's stochastic-rounding LFSR (nonzero).")
    var lfsrSeed: UInt32 = 1
    @Flag(help: "Machine-readable JSON output.")
    var json = false

    /// The configuration, or `BadInput` naming the problem.
    func config() throws -> RangeBNUnitConfig {
        guard (23...52).contains(statFractionBits) else {
            throw BadInput("--stat-fraction-bits must be in 23...52, got \(statFractionBits)")
        }
        do {
            func format(_ name: String, rounding: String?) throws -> BFPFormat {
                let preset = try BFPFormat.preset(named: name)
                let mode = try rounding.map(BFPConverterOptions.rounding) ?? preset.rounding
                return try BFPFormat(blockSize: block ?? preset.blockSize, element: preset.element, rule: preset.rule,
                                     rounding: mode)
            }
            let input = try format(preset, rounding: nil)
            let output = try format(outputPreset ?? preset, rounding: rounding)
            let stat = FloatFormat(name: "fp32x\(statFractionBits - 23)", exponentBits: 8, fractionBits: statFractionBits)
            let golden = try RangeBatchNormConfig(channels: channels, positions: positions, chunks: chunks, input: input,
                                                  output: output, statFormat: stat, eps: eps, newtonSteps: newtonSteps)
            return try RangeBNUnitConfig(golden: golden, lanes: lanes, seed: lfsrSeed)
        } catch {
            throw BadInput("\(error)")
        }
    }
}
