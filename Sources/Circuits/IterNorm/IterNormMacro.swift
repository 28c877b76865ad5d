import Golden
import HDL

/// The IterNorm macro generator: streams of `lanes` elements per beat in and out, bit-exact
/// with `Golden.IterNorm` in the scalar and the vector form (docs/iternorm-architecture.md has
/// the op order, the pipeline and the cycle budget). The vector form takes one vector at a time.
///
/// Ports (`W` = format width, `P` = lanes, `NB` = dMax / lanes):
/// - `in_valid`, `in_ready`, `in_data[P*W]` (lane `i` in bits `i*W ..`), `in_beats` (= d / P,
///   sampled with the first beat of a vector; a vector whose `in_beats` differs from the vectors
///   in flight waits until the macro is empty);
/// - `out_valid`, `out_ready`, `out_data[P*W]`, `out_last`;
/// - with affine: `param_we`, `param_addr` (beat index), `param_gamma[P*W]` and, for LayerNorm,
///   `param_beta[P*W]`: load while no vector is in flight.
///
/// ```swift
/// let macro = try IterNormMacro(IterNormConfig(format: .bf16))
/// let design = try macro.design()
/// ```
public struct IterNormMacro: Sendable {
    public let config: IterNormConfig
    /// Vector buffer slots (vectors in flight; the vector form uses one at a time).
    public let slots: Int

    /// Throws `IterNormError` for a configuration the generator does not support.
    /// Three slots: pass 1, pass 2 and the output pass of three vectors at once.
    public static let defaultSlots = 3

    public init(_ config: IterNormConfig, slots: Int = defaultSlots) throws(IterNormError) {
        guard (2...8).contains(slots) else { throw IterNormError("slots must be in 2...8, got \(slots)") }
        self.config = config
        self.slots = slots
    }

    /// The top module name, encoding every parameter.
    public var topName: String {
        let c = config
        let eps = c.eps == 0 ? "0" : String(c.eps.bitPattern, radix: 16)
        return "IterNorm_\(c.format.name)_\(c.accumulate.name)_p\(c.lanes)_d\(c.dMax)_k\(c.iterations)"
            + "_n\(c.etaShift)_\(c.mode == .layerNorm ? "ln" : "rms")\(c.affine ? "_aff" : "")_e\(eps)"
            + (c.form == .vector ? "_vec" : "") + (slots == Self.defaultSlots ? "" : "_s\(slots)")
    }

    /// Beats per vector at the largest d.
    public var maxBeats: Int { config.dMax / config.lanes }

    /// The elaborated, checked design.
    public func design() throws -> Design {
        try Design(top: module())
    }

    /// The top module.
    public func module() throws(IterNormError) -> Module {
        let tables = try IterNormMacroTables(config)
        let units = try IterNormUnits(config)
        return Module(topName) {
            let b = IterNormMacroBuilder(macro: self, tables: tables, units: units)
            When(b.bufferWriteEnable) { b.buffer.write(b.bufferWriteAddress, b.bufferWriteData) }
            if let load = b.parameterLoad {
                When(load.enable) {
                    load.gamma.write(load.address, load.gammaData)
                    if let beta = load.beta, let betaData = load.betaData { beta.write(load.address, betaData) }
                }
            }
            if let v = b.vectorWrite {
                When(v.enable) { v.memory.write(v.address, v.data) }
            }
        }
    }

    /// Cycles from the first input beat to the last output beat of one vector of `d` elements
    /// with no back-pressure and an idle macro (what co-simulation measures).
    public func latency(d: Int) -> Int {
        let c = config, nb = d / c.lanes
        let log2P = c.lanes.trailingZeroBitCount
        let ln = c.mode == .layerNorm ? 1 : 0
        let eps = c.eps != 0 ? 1 : 0
        // + beta is its own stage, and the conversion to the I/O format one more after it.
        let betaStage = (c.hasBeta ? 1 : 0) + (c.accumulate == c.format ? 0 : 1)
        // Three passes of nb beats; two lane stages + tree + accumulator per pass; the mean and
        // the pre-scale (2); 3K iteration stages; r meets the lane value, then * r (+ beta).
        let scalar = 3 * nb + 10 + 2 * log2P + ln + eps + 3 * c.iterations + betaStage
            + max(0, readLead - 3 * c.iterations)
        guard c.form == .vector else { return scalar }
        // Vector form: the same passes 1 and 2 and output tail; in between, K passes of the
        // iteration engine instead of the 3K scalar stages, and an output front of V reads
        // (gamma widened in a stage of its own) instead of x -> y'.
        let front = 2 + ln  // x -> scaleB(-Tx) (- mu') -> scaleB(-e0)
        let pass = nb + log2P + front + 7 + eps  // m, read, front, * m, square, tree, acc, (+ e), t
        let beforeOutput = 1 + (c.iterations - 1) * pass + 5 + front
        return scalar - max(0, 3 * c.iterations - readLead) + beforeOutput - (1 + ln) + (c.affine ? 1 : 0)
    }

    /// Registers between the output-pass read address and the lane value that meets `r`.
    var readLead: Int {
        1 + 1 + (config.mode == .layerNorm ? 1 : 0) + (config.affine ? 1 : 0)
    }
}

/// The per-d constants as ROM contents, indexed by the number of beats.
struct IterNormMacroTables: Sendable {
    let meanScale: [UInt64]
    let sqrtD: [UInt64]
    let dEps: [UInt64]

    init(_ c: IterNormConfig) throws(IterNormError) {
        var meanScale: [UInt64] = [0], sqrtD: [UInt64] = [0], dEps: [UInt64] = [0]
        for d in c.legalD {
            let k = try c.constants(d: d)
            meanScale.append(k.meanScale)
            sqrtD.append(k.sqrtD)
            dEps.append(k.dEps)
        }
        self.meanScale = meanScale
        self.sqrtD = sqrtD
        self.dEps = dEps
    }
}
