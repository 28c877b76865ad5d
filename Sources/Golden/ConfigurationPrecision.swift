/// The precision of one IterNorm configuration exactly as a macro computes it (format, accumulate
/// format, lanes, K, eta, mode, eps; gamma = 1, beta = 0) against the FP64 reference, next to
/// the correctly rounded result (the floor no method in the format can beat).
public struct ConfigurationPrecision: Sendable, Hashable, Codable {
    /// Vector length.
    public var d: Int
    /// Random vectors measured.
    public var trials: Int
    /// `PrecisionDistribution` the vectors were drawn from.
    public var distribution: String
    public var seed: UInt64
    /// The configuration's output (`Golden.IterNorm`, which the macro matches bit for bit).
    public var iterNorm: PrecisionErrors
    /// The FP64 reference rounded once to the format: the floor.
    public var correctlyRounded: PrecisionErrors

    /// `trials` random vectors of length `d` drawn from `distribution` (seeded), through
    /// `IterNorm(config)` and through the FP64 reference rounded once to the format.
    public static func measure(_ config: IterNormConfig, d: Int, distribution: PrecisionDistribution = .normal,
                               trials: Int, seed: UInt64) throws(IterNormError) -> ConfigurationPrecision {
        try config.validate(d: d)
        guard trials >= 1 else { throw IterNormError("trials must be >= 1, got \(trials)") }
        let f = config.format
        let model = IterNorm(config)
        var rng = SeededRandom(seed: seed)
        var iterNorm = ErrorAccumulator(), rounded = ErrorAccumulator()
        // gamma = 1 and beta = 0: the affine step then leaves the normalized value unchanged.
        let gamma = config.hasGamma ? [UInt64](repeating: f.fromDouble(1), count: d) : nil
        let beta = config.hasBeta ? [UInt64](repeating: f.fromDouble(0), count: d) : nil
        for _ in 0..<trials {
            let x = distribution.sample(d, &rng).map { f.fromDouble($0) }
            let reference = ReferenceNorm.normalize(x.map(f.toDouble), mode: config.mode, eps: config.eps)
            let z = try model.normalize(x: x, gamma: gamma, beta: beta)
            for i in 0..<d {
                let ulp = f.ulp(at: reference[i])
                iterNorm.add(f.toDouble(z[i]), reference: reference[i], ulp: ulp)
                rounded.add(f.toDouble(f.fromDouble(reference[i])), reference: reference[i], ulp: ulp)
            }
        }
        return ConfigurationPrecision(d: d, trials: trials, distribution: distribution.rawValue, seed: seed,
                                      iterNorm: iterNorm.errors, correctlyRounded: rounded.errors)
    }
}

extension FloatFormat {
    /// The ulp of this format at `v`: 2^(max(floor(log2|v|), emin) - fractionBits).
    public func ulp(at v: Double) -> Double {
        let e = v == 0 || !v.isFinite ? minExponent : Swift.max(Int(v.exponent), minExponent)
        return Double(sign: .plus, exponent: e - fractionBits, significand: 1)
    }
}
