import ArgumentParser
import Circuits
import Golden

/// The IterNorm generator parameters, shared by every `iternorm` subcommand
/// (`generate`, `cosim`, `synth`).
struct IterNormParameters: ParsableArguments {
    @Option(help: "I/O format: fp32, fp16 or bf16.")
    var format = "fp32"

    @Option(help: "Accumulate format: fp32, same (the I/O format), or wide (the faithful mode of docs/precision.md; scalar form).")
    var accumulate = "fp32"

    @Option(help: "Lanes P: elements per beat (a power of two).")
    var lanes = 64

    @Option(name: .customLong("d-max"), help: "Largest vector length (a multiple of lanes).")
    var dMax = 1024

    @Option(help: "Iterations K (1...8).")
    var iterations = 5

    @Option(name: .customLong("eta-shift"), help: "eta = 2^-n (1 is Newton's method).")
    var etaShift = 1

    @Option(help: "scalar (iterate c and u) or vector (rescale every element each iteration).")
    var form = "scalar"

    @Option(help: "layernorm or rmsnorm.")
    var mode = "layernorm"

    @Flag(inversion: .prefixedNo, help: "gamma (and beta for LayerNorm) parameter memory.")
    var affine = true

    @Option(help: "eps added as d*eps to the squared norm (0 for none).")
    var eps: Double = 0

    @Option(help: "Vector buffer slots, 2...8 (vectors in flight; more slots raise the streaming rate, each costs d-max elements of buffer).")
    var slots = 3

    /// The validated configuration; a bad parameter is `BadInput` (exit 2).
    func config() throws -> IterNormConfig {
        guard let f = FloatFormat.named(format), [FloatFormat.fp32, .fp16, .bf16].contains(f) else {
            throw BadInput("--format must be fp32, fp16 or bf16, got '\(format)'")
        }
        let acc: FloatFormat?
        switch accumulate.lowercased() {
        case "fp32": acc = .fp32
        case "same": acc = f
        case "wide": acc = nil
        default: throw BadInput("--accumulate must be fp32, same or wide, got '\(accumulate)'")
        }
        guard let formValue = IterNormForm(rawValue: form.lowercased()) else {
            throw BadInput("--form must be scalar or vector, got '\(form)'")
        }
        guard let modeValue = IterNormMode(rawValue: mode.lowercased()) else {
            throw BadInput("--mode must be layernorm or rmsnorm, got '\(mode)'")
        }
        do {
            return try IterNormConfig(format: f, accumulate: acc, lanes: lanes, dMax: dMax,
                                      iterations: iterations, etaShift: etaShift, form: formValue,
                                      mode: modeValue, affine: affine, eps: eps, wide: acc == nil)
        } catch {
            throw BadInput(error.message)
        }
    }

    /// The macro generator for these parameters; an unsupported one is `BadInput`.
    /// The vector lengths of `--d`: a comma-separated list, or `all` (every multiple of the lanes
    /// up to d-max), each checked against the configuration.
    static func lengths(_ text: String, for c: IterNormConfig) throws -> [Int] {
        if text.trimmingCharacters(in: .whitespaces) == "all" { return Array(stride(from: c.lanes, through: c.dMax, by: c.lanes)) }
        let parsed = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil }) else {
            throw BadInput("--d must be a comma-separated list of vector lengths or 'all', got '\(text)'")
        }
        let lengths = parsed.compactMap { $0 }
        for d in lengths {
            do { try c.validate(d: d) } catch { throw BadInput(error.message) }
        }
        return lengths
    }

    func macro() throws -> IterNormMacro {
        do { return try IterNormMacro(try config(), slots: slots) } catch let error as IterNormError {
            throw BadInput(error.message)
        }
    }
}

/// BFP ports for the `iternorm` subcommands: with `--bfp-in` (or `--bfp-out`) the IterNorm macro
/// takes and emits BFP blocks, converting at its edges (`IterNormBFPMacro`).
///
/// A format is `PRESET[,KEY=VALUE...]` or `KEY=VALUE,...` with the keys of the `bfp-convert`
/// options: `element=int:M|fp:E:M`, `block=K`, `rule=floor|ceil`,
/// `rounding=even|away|zero|stochastic`, `flush`, `sr-bits=N`; e.g. `mxint8`,
/// `mxfp8-e4m3,rounding=away`, `element=int:5,block=16,rule=ceil`.
struct IterNormBFPOptions: ParsableArguments {
    @Option(name: .customLong("bfp-in"), help: "Input BFP format: PRESET[,key=value...] (keys: element, block, rule, rounding, flush, sr-bits).")
    var input: String?

    @Option(name: .customLong("bfp-out"), help: "Output BFP format, same syntax (default: the input format).")
    var output: String?

    @Option(name: .customLong("bfp-lfsr-seed"), help: "Reset value of the output quantizer's stochastic-rounding LFSR (nonzero).")
    var lfsrSeed: UInt32 = 1

    /// Whether BFP ports were asked for.
    var enabled: Bool { input != nil || output != nil }

    /// The configuration around `iterNorm`, or `nil` without BFP ports; bad input is `BadInput`.
    func config(_ iterNorm: IterNormConfig) throws -> IterNormBFPConfig? {
        guard let inputSpec = input ?? output else { return nil }
        let inputFormat = try Self.format(inputSpec, option: input != nil ? "--bfp-in" : "--bfp-out")
        let outputFormat = try output.map { try Self.format($0, option: "--bfp-out") } ?? inputFormat
        guard lfsrSeed != 0 else { throw BadInput("--bfp-lfsr-seed must be nonzero") }
        do {
            return try IterNormBFPConfig(iterNorm: iterNorm, input: inputFormat, output: outputFormat, seed: lfsrSeed)
        } catch {
            throw BadInput(error.message)
        }
    }

    /// The macro with BFP ports around `macro`, or `nil` without BFP ports.
    func macro(around macro: IterNormMacro) throws -> IterNormBFPMacro? {
        guard let cfg = try config(macro.config) else { return nil }
        do { return try IterNormBFPMacro(cfg, slots: macro.slots) } catch { throw BadInput(error.message) }
    }

    /// Parses one format specification with `BFPConverterOptions.format`.
    static func format(_ spec: String, option: String) throws -> BFPFormat {
        var preset: String?, element: String?, block: Int?, rule: String?, rounding: String?
        var flush = false, srBits = 16
        for (index, item) in spec.split(separator: ",").map({ String($0) }).enumerated() {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            switch (parts[0], parts.count) {
            case (_, 1) where index == 0 && item != "flush": preset = item
            case ("flush", 1): flush = true
            case ("element", 2): element = parts[1]
            case ("rule", 2): rule = parts[1]
            case ("rounding", 2): rounding = parts[1]
            case ("block", 2), ("sr-bits", 2):
                guard let n = Int(parts[1]) else { throw BadInput("\(option): \(parts[0]) must be an integer, got '\(parts[1])'") }
                if parts[0] == "block" { block = n } else { srBits = n }
            default:
                throw BadInput("\(option): '\(item)' is not a preset (first) or one of element=, block=, rule=, rounding=, flush, sr-bits=")
            }
        }
        guard preset != nil || element != nil else {
            throw BadInput("\(option) '\(spec)' names neither a preset nor element=int:M|fp:E:M")
        }
        do {
            return try BFPConverterOptions.format(preset: preset, element: element, block: block, rule: rule,
                                                  rounding: rounding, flush: flush, srBits: srBits)
        } catch {
            throw BadInput("\(option): \(error.message)")
        }
    }
}
