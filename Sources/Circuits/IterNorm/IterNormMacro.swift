import Golden
import HDL
import Synchronization

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
        return "IterNorm_\(c.format.name)_\(c.wide ? "wide" : c.accumulate.name)_p\(c.lanes)_d\(c.dMax)_k\(c.iterations)"
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
        try elaborate().module
    }

    /// The top module and the schedule its passes' registers give.
    func elaborate() throws(IterNormError) -> (module: Module, schedule: IterNormSchedule) {
        let tables = try IterNormMacroTables(config)
        let units = try IterNormUnits(config)
        var schedule: IterNormSchedule?
        let module = Module(topName) {
            schedule = IterNormMacroBuilder.build(self, tables: tables, units: units)
        }
        guard let schedule else { throw IterNormError("the macro builder did not run") }
        return (module, schedule)
    }

    /// Cycles from the first input beat to the last output beat of one vector of `d` elements
    /// with no back-pressure and an idle macro (what co-simulation measures), as the registers
    /// of the built passes give it. Elaborates the macro once per configuration.
    public func latency(d: Int) -> Int {
        schedule.latency(beats: d / config.lanes)
    }

    /// The macro's schedule (cached per configuration: elaborating a 64-lane macro takes a while).
    public var schedule: IterNormSchedule {
        let key = topName
        if let cached = Self.schedules.withLock({ $0[key] }) { return cached }
        // The configuration was validated by the initializer, so elaboration cannot fail here.
        guard let built = try? elaborate().schedule else { preconditionFailure("IterNorm macro \(key) did not elaborate") }
        Self.schedules.withLock { $0[key] = built }
        return built
    }

    private static let schedules = Mutex<[String: IterNormSchedule]>([:])

    /// Registers between the output-pass read address and the lane value that meets `r`: the
    /// read, the centring stages (`IterNormDatapath.centring`) and `g * v`; reading the stored
    /// `y'`, the read, gamma's widening and `g * v`.
    var readLead: Int {
        storesCentred ? 1 + (config.affine ? 2 : 0) : 1 + centringStages + (config.affine ? 1 : 0)
    }

    /// Whether pass 2 stores `y'` (in the accumulate format) for the output pass: the wide mode,
    /// where recomputing it would cost the output pass a widening, `* d`, subtraction and
    /// rounding into `A` per lane, for `P A slots nb` memory bits (docs/precision.md).
    var storesCentred: Bool { config.wide }

    /// Lane stages from an input element to its centred, pre-scaled value: the pre-scale (or the
    /// widening), the LayerNorm's `- mean`, and the wide LayerNorm's `* d 2^-Tx` and rounding
    /// into `A`.
    var centringStages: Int {
        1 + (config.mode == .layerNorm ? 1 : 0) + (config.centresByLength ? 3 : 0)
    }

    /// Stages of the scalar form's iterations: the start (and the wide mode's seed), then 3 per
    /// iteration but the last, which needs 2.
    var iterationStages: Int {
        3 * config.iterations + (config.wide ? 1 : 0)
    }
}

/// The per-d constants as ROM contents, indexed by the number of beats.
struct IterNormMacroTables: Sendable {
    let meanScale: [UInt64]
    let sqrtD: [UInt64]
    let dEps: [UInt64]
    /// `d` in `W` (the wide LayerNorm's centring).
    let d: [UInt64]

    init(_ c: IterNormConfig) throws(IterNormError) {
        var meanScale: [UInt64] = [0], sqrtD: [UInt64] = [0], dEps: [UInt64] = [0], d: [UInt64] = [0]
        for length in c.legalD {
            let k = try c.constants(d: length)
            meanScale.append(k.meanScale)
            sqrtD.append(k.sqrtD)
            dEps.append(k.dEps)
            d.append(k.d)
        }
        self.d = d
        self.meanScale = meanScale
        self.sqrtD = sqrtD
        self.dEps = dEps
    }
}
