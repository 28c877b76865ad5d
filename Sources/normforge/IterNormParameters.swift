import ArgumentParser
import Circuits
import Golden

/// The IterNorm generator parameters, shared by every `iternorm` subcommand
/// (`generate`, `cosim`, `synth`).
struct IterNormParameters: ParsableArguments {
    @Option(help: "I/O format: fp32, fp16 or bf16.")
    var format = "fp32"

    @Option(help: "Accumulate format: fp32, or same (the I/O format).")
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

    /// The validated configuration; a bad parameter is `BadInput` (exit 2).
    func config() throws -> IterNormConfig {
        guard let f = FloatFormat.named(format), [FloatFormat.fp32, .fp16, .bf16].contains(f) else {
            throw BadInput("--format must be fp32, fp16 or bf16, got '\(format)'")
        }
        let acc: FloatFormat
        switch accumulate.lowercased() {
        case "fp32": acc = .fp32
        case "same": acc = f
        default: throw BadInput("--accumulate must be fp32 or same, got '\(accumulate)'")
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
                                      mode: modeValue, affine: affine, eps: eps)
        } catch {
            throw BadInput(error.message)
        }
    }

    /// The macro generator for these parameters; an unsupported one is `BadInput`.
    func macro() throws -> IterNormMacro {
        do { return try IterNormMacro(try config()) } catch let error as IterNormError {
            throw BadInput(error.message)
        }
    }
}
