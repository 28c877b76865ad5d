import Golden

/// One IterNorm configuration of a design-space exploration, and the vector length its latency
/// and memory are quoted at.
public struct IterNormDesignPoint: Sendable, Codable, Hashable {
    /// The configuration generated, co-simulated and mapped.
    public var config: IterNormConfig
    /// Vector buffer slots of the macro.
    public var slots: Int
    /// The length the plot quotes (d = 1024 in the issue's Pareto plot). When it exceeds
    /// `config.dMax` the latency is the schedule of the macro built for it and its memories are
    /// scaled from the mapped ones (`IterNormPointResult`).
    public var quotedD: Int

    public init(config: IterNormConfig, slots: Int, quotedD: Int) {
        self.config = config
        self.slots = slots
        self.quotedD = quotedD
    }

    /// Short name: format, arithmetic when it differs, mode and lanes, e.g. `bf16/fp32 LN P=8`,
    /// `bf16 wide LN P=8`.
    public var label: String {
        "\(formatName) \(config.mode == .layerNorm ? "LN" : "RMS") P=\(config.lanes)"
    }

    /// The group the plots colour it by: everything but the lanes.
    public var family: String {
        "\(formatName) \(config.mode == .layerNorm ? "LayerNorm" : "RMSNorm")"
    }

    private var formatName: String {
        config.wide ? "\(config.format.name) wide"
            : config.accumulate == config.format ? config.format.name : "\(config.format.name)/\(config.accumulate.name)"
    }

    /// The same configuration built for vectors of up to `quotedD` elements (its schedule gives
    /// the quoted latency).
    public func configForQuotedD() throws -> IterNormConfig {
        let c = config
        return try IterNormConfig(format: c.format, accumulate: c.wide ? nil : c.accumulate, lanes: c.lanes,
                                  dMax: max(c.dMax, quotedD), iterations: c.iterations, etaShift: c.etaShift,
                                  form: c.form, mode: c.mode, affine: c.affine, eps: c.eps, wide: c.wide)
    }
}
