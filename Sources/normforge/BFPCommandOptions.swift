import ArgumentParser
import Circuits
import Golden
import HDL

/// The converter parameters shared by `generate|cosim|synth bfp-convert|bfp-deconvert`.
struct BFPConverterOptions: ParsableArguments {
    @Option(help: "MX preset (k = 32): mxint8, mxfp8-e4m3, mxfp8-e5m2, mxfp6-e3m2, mxfp6-e2m3, mxfp4-e2m1; or hbfp8 (k = 16, ceil, int:7).")
    var preset: String?
    @Option(help: "FP side: fp32, fp16 or bf16.")
    var source: String = "fp32"
    @Option(help: "Block size k (default: the preset's, else 32).")
    var block: Int?
    @Option(help: "Elements per beat P, dividing k (default: k, a block per beat).")
    var lanes: Int?
    @Option(help: "Element kind: int:M (M magnitude bits) or fp:E:M (default: the preset's).")
    var element: String?
    @Option(help: "Shared-exponent rule: floor (MX) or ceil (HBFP).")
    var rule: String?
    @Option(help: "Rounding: even, away, zero or stochastic.")
    var rounding: String?
    @Flag(help: "Flush subnormal inputs to zero.")
    var flush = false
    @Option(help: "Random bits per element for stochastic rounding (1...32).")
    var srBits: Int = 16
    @Option(help: "Reset value of the stochastic-rounding LFSR (nonzero).")
    var lfsrSeed: UInt32 = 1
    @Flag(help: "Machine-readable JSON output.")
    var json = false

    /// The configuration, or `BadInput` naming the offending option.
    func config() throws -> BFPConverterConfig {
        guard let source = FloatFormat.named(source), [FloatFormat.fp32, .fp16, .bf16].contains(source) else {
            throw BadInput("--source must be fp32, fp16 or bf16, got '\(self.source)'")
        }
        do {
            let format = try Self.format(preset: preset, element: element, block: block, rule: rule, rounding: rounding,
                                         flush: flush, srBits: srBits)
            return try BFPConverterConfig(floatFormat: source, bfp: format, lanes: lanes, seed: lfsrSeed)
        } catch {
            throw BadInput("\(error)")
        }
    }

    /// A BFP format from a preset and overrides: what `--preset`, `--element`, `--block`,
    /// `--rule`, `--rounding`, `--flush` and `--sr-bits` mean (shared with `--bfp-in`/`--bfp-out`).
    static func format(preset: String?, element: String?, block: Int?, rule: String?, rounding: String?,
                       flush: Bool, srBits: Int) throws(BFPFormatError) -> BFPFormat {
        let base = try preset.map { name throws(BFPFormatError) in try BFPFormat.preset(named: name) }
        guard base != nil || element != nil else {
            throw BFPFormatError("give --preset or --element")
        }
        let kind = try element.map { text throws(BFPFormatError) in try BFPElementKind(parsing: text) } ?? base!.element
        let rule = try rule.map { text throws(BFPFormatError) -> BFPScaleRule in
            guard let r = BFPScaleRule(rawValue: text) else { throw BFPFormatError("--rule must be floor or ceil, got '\(text)'") }
            return r
        } ?? base?.rule ?? .floor
        let rounding = try rounding.map(Self.rounding) ?? base?.rounding ?? .nearestEven
        return try BFPFormat(blockSize: block ?? base?.blockSize ?? 32, element: kind, rule: rule,
                             rounding: rounding, flushSubnormals: flush, stochasticBits: srBits)
    }

    static func rounding(_ text: String) throws(BFPFormatError) -> BFPRounding {
        switch text {
        case "even": return .nearestEven
        case "away": return .nearestAway
        case "zero": return .towardZero
        case "stochastic": return .stochastic
        default: throw BFPFormatError("--rounding must be even, away, zero or stochastic, got '\(text)'")
        }
    }
}

