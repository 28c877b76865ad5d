/// Error of one method against the FP64 reference over every element of every trial.
public struct PrecisionErrors: Sendable, Hashable, Codable {
    /// Largest |method - reference|.
    public var maxAbsError: Double
    /// Mean |method - reference|.
    public var meanAbsError: Double
    /// Largest |method - reference| in units in the last place of the output format at the
    /// reference value.
    public var maxUlpError: Double
    /// `meanAbsError` divided by that of the correctly rounded result on the same vectors (1 is
    /// the limit; `nil` when the correctly rounded result is exact everywhere).
    public var meanErrorVsRounded: Double?
}

/// Running totals behind `PrecisionErrors`.
struct ErrorAccumulator {
    var sum = 0.0, count = 0, maxAbs = 0.0, maxUlp = 0.0

    mutating func add(_ value: Double, reference: Double, ulp: Double) {
        // A NaN output is an infinite error, not a silently skipped one.
        let error = value.isNaN ? Double.infinity : Swift.abs(value - reference)
        sum += error
        count += 1
        maxAbs = Swift.max(maxAbs, error)
        maxUlp = Swift.max(maxUlp, error / ulp)
    }

    mutating func merge(_ other: ErrorAccumulator) {
        sum += other.sum; count += other.count
        maxAbs = Swift.max(maxAbs, other.maxAbs); maxUlp = Swift.max(maxUlp, other.maxUlp)
    }

    var errors: PrecisionErrors {
        PrecisionErrors(maxAbsError: maxAbs, meanAbsError: count == 0 ? 0 : sum / Double(count), maxUlpError: maxUlp,
                        meanErrorVsRounded: nil)
    }
}

/// The errors of every method at one vector length.
public struct PrecisionDim: Sendable, Hashable, Codable {
    /// Vector length.
    public var d: Int
    /// Whether `d` is one of the nine OPT embedding lengths.
    public var opt: Bool
    /// Method name -> errors, under the headline distribution.
    public var methods: [String: PrecisionErrors]
    /// Distribution name -> method name -> errors.
    public var distributions: [String: [String: PrecisionErrors]]
}

/// The precision report of one format (see `PrecisionEngine`).
public struct PrecisionReport: Sendable, Hashable, Codable {
    public var format: String
    /// The arithmetic format every method computes in (outputs are rounded to `format`); `wide`
    /// for the wide mode, whose IterNorm format depends on d (FISR and naive then use
    /// `PrecisionEngine.defaultAccumulate`).
    public var accumulate: String
    /// The metric that decides a win: mean absolute error against FP64.
    public var metric: String
    public var trials: Int
    public var seed: UInt64
    /// Lanes of the IterNorm pipeline (adder-tree width) shared by IterNorm and FISR.
    public var lanes: Int
    /// The distribution `methods` and `iternormWinsVsFisr` refer to.
    public var headlineDistribution: String
    public var distributions: [String]
    /// The IterNorm variant compared with FISR: K and form.
    public var iternormIterations: Int
    public var iternormForm: String
    public var dims: [PrecisionDim]
    /// Newton steps ("1", "2", "3") -> number of OPT lengths where IterNorm has the lower mean
    /// absolute error than FISR, under the headline distribution.
    public var iternormWinsVsFisr: [String: Int]
    /// The same count for every distribution.
    public var iternormWinsVsFisrByDistribution: [String: [String: Int]]
    /// Number of OPT lengths counted.
    public var optLengths: Int
}
