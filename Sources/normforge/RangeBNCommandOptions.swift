import ArgumentParser
import Circuits
import Golden

/// Which range-BN unit a command works on.
enum RangeBNPass: String, CaseIterable {
    /// The training forward unit (tensors back to back, running statistics).
    case forward
    /// The training unit: the forward unit plus the backward pass.
    case backward
    /// The inference unit (running statistics, one streaming pass).
    case inference
}

/// The unit parameters shared by `generate|cosim|synth range-bn`.
struct RangeBNOptions: ParsableArguments {
    @Option(name: .customLong("pass"), help: "Unit: forward (training forward), backward (training unit: forward and backward) or inference.")
    var passName: String = "forward"

    @Flag(help: "The conventional FP batch-norm unit (variance pass, reciprocal square root), the area baseline (forward, backward).")
    var conventional = false
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
    @Option(help: "Gradient BFP preset of dL/dy and dL/dx for --pass backward (default: --preset in, --output-preset out).")
    var gradientPreset: String?
    @Option(help: "Momentum of the running statistics (PyTorch's convention: weight of the new tensor).")
    var momentum: Double = RangeBNUnitConfig.defaultMomentum
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

    /// The unit `--pass` names, or `BadInput`.
    var pass: RangeBNPass {
        get throws {
            guard let pass = RangeBNPass(rawValue: passName) else {
                throw BadInput("--pass must be forward, backward or inference, got '\(passName)'")
            }
            return pass
        }
    }

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
            let gradient = try gradientPreset.map { try format($0, rounding: rounding) }
            let golden = try RangeBatchNormConfig(channels: channels, positions: positions, chunks: chunks, input: input,
                                                  output: output, gradientInput: gradient, gradientOutput: gradient,
                                                  statFormat: stat, eps: eps, newtonSteps: newtonSteps)
            return try RangeBNUnitConfig(golden: golden, lanes: lanes, seed: lfsrSeed, momentum: momentum)
        } catch {
            throw BadInput("\(error)")
        }
    }
}
