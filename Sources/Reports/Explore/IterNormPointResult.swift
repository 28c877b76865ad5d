import Silicon

/// What one design point measured: a brief RTL co-simulation against the golden model, the
/// standard-cell mapping with its timing and vectorless power, and the figures the plots use.
public struct IterNormPointResult: Sendable, Codable {
    /// The co-simulation of the mapped configuration at d = d_max (Verilator, RTL).
    public struct Cosimulation: Sendable, Codable, Hashable {
        public var d: Int
        public var vectors: Int
        public var mismatches: Int
        /// First input beat to last output beat of the first vector, measured and as the
        /// generator's schedule predicts.
        public var latencyCycles: Int
        public var predictedLatencyCycles: Int
        /// Cycles per vector with vectors streamed back to back.
        public var cyclesPerVector: Double
    }

    public var index: Int
    public var point: IterNormDesignPoint
    public var label: String
    public var family: String
    public var top: String
    public var cosimulation: Cosimulation
    public var asic: ASICReport
    /// Total area of the mapped configuration (memories as flip-flop arrays), um^2 and kGE.
    public var areaUm2: Double
    public var kiloGateEquivalents: Double
    public var periodNanoseconds: Double
    public var fmaxMHz: Double
    /// Energy per vector at d = d_max streamed, at Fmax: the vectorless power (propagated input
    /// activity, a model) times the co-simulated cycles per vector.
    public var energyPerVectorPicojoules: Double?
    /// The quoted length, and the latency there: the schedule of the macro built for it, in
    /// cycles and at the mapped period.
    public var quotedD: Int
    public var latencyCyclesAtQuotedD: Int
    public var latencyNanosecondsAtQuotedD: Double
    /// Memory bits and total area of the macro built for `quotedD`. Every memory of the macro
    /// (the slots' buffer, gamma, beta, the wide mode's stored centred values) has d_max / P
    /// words, so its bits scale with d_max; their area is scaled from the mapped memories' area
    /// per bit (flip-flop arrays, an upper bound). Equal to the mapped figures when
    /// `quotedD <= d_max`.
    public var memoryBitsAtQuotedD: Int
    public var areaAtQuotedDUm2: Double
    public var seconds: Double
}
