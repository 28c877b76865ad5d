/// Which normalization IterNorm computes.
public enum IterNormMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// `gamma * sqrt(d) * (x - mean) / ||x - mean|| + beta`.
    case layerNorm = "layernorm"
    /// `gamma * sqrt(d) * x / ||x||` (no mean, no beta).
    case rmsNorm = "rmsnorm"
}

/// How the iteration is carried out (equal in exact arithmetic, different in rounding and cost).
public enum IterNormForm: String, Sendable, Hashable, Codable, CaseIterable {
    /// Rescale every element each iteration and recompute `u` with the adder tree.
    case vector
    /// Iterate the scalars `c` and `u` only, then one output pass (d-independent iterations).
    case scalar
}

/// An invalid IterNorm parameter or input, with a one-line message saying what and why.
public struct IterNormError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Every generator parameter of IterNorm (spec "Generator parameters"), validated on creation.
///
/// The same value configures the golden model and the macro generator, so both see the same
/// derived constants (`meanShift`, `legalD`, the per-d ROM values).
public struct IterNormConfig: Sendable, Hashable, Codable, CustomStringConvertible {
    /// I/O format of `x`, `gamma`, `beta` and the output.
    public let format: FloatFormat
    /// Format of every internal operation (holds every value of `format` exactly).
    public let accumulate: FloatFormat
    /// Elements per beat; a power of two.
    public let lanes: Int
    /// Largest vector length (buffer size); a multiple of `lanes`.
    public let dMax: Int
    /// Number of iterations K (1...8).
    public let iterations: Int
    /// eta = 2^-etaShift (1...8); 1 is Newton's method for 1/sqrt.
    public let etaShift: Int
    public let form: IterNormForm
    public let mode: IterNormMode
    /// With a gamma (and, for LayerNorm, beta) parameter memory.
    public let affine: Bool
    /// Added as `d * eps` to the squared norm (PyTorch LayerNorm's eps); 0 for none.
    public let eps: Double
    /// The precision mode of docs/precision.md: `accumulate` is `wideAccumulateFormat`, LayerNorm
    /// centres by `d x_i - sum` (no rounded mean), and the iterations start from `IterNormSeed`.
    public let wide: Bool

    /// Validates every parameter; throws `IterNormError` naming the first bad one.
    public init(format: FloatFormat = .fp32, accumulate: FloatFormat? = nil, lanes: Int = 64,
                dMax: Int = 1024, iterations: Int = 5, etaShift: Int = 1,
                form: IterNormForm = .scalar, mode: IterNormMode = .layerNorm,
                affine: Bool = true, eps: Double = 0, wide: Bool = false) throws(IterNormError) {
        if wide {
            guard accumulate == nil else {
                throw IterNormError("the wide mode derives its accumulate format; give no accumulate format with it")
            }
            guard form == .scalar else { throw IterNormError("the wide mode is built for the scalar form") }
        }
        let acc = wide ? Self.wideAccumulateFormat(format: format, lanes: lanes, dMax: dMax, iterations: iterations)
            : accumulate ?? (format.width < 32 ? FloatFormat.fp32 : format)
        guard format.specials == .ieee, acc.specials == .ieee else {
            throw IterNormError("format and accumulate format must have IEEE infinities and NaNs")
        }
        guard acc.exponentBits >= format.exponentBits, acc.fractionBits >= format.fractionBits else {
            throw IterNormError(
                "accumulate format \(acc.name) must hold every \(format.name) value exactly")
        }
        guard lanes >= 1, lanes <= 4096, lanes & (lanes - 1) == 0 else {
            throw IterNormError("lanes must be a power of two in 1...4096, got \(lanes)")
        }
        guard dMax >= lanes, dMax % lanes == 0, dMax <= 1 << 20 else {
            throw IterNormError("d-max must be a multiple of lanes (\(lanes)) in \(lanes)...\(1 << 20), got \(dMax)")
        }
        guard (1...8).contains(iterations) else {
            throw IterNormError("iterations must be in 1...8, got \(iterations)")
        }
        guard (1...8).contains(etaShift), etaShift <= acc.fractionBits else {
            throw IterNormError("eta-shift must be in 1...\(min(8, acc.fractionBits)), got \(etaShift)")
        }
        guard eps.isFinite, eps >= 0 else {
            throw IterNormError("eps must be finite and >= 0, got \(eps)")
        }
        // s' < 16 d (pre-scaled squares are below 16): keep the accumulation finite.
        guard Double(dMax) * 32 <= Double(sign: .plus, exponent: acc.maxExponent, significand: 1) else {
            throw IterNormError(
                "d-max \(dMax) is too large for accumulate format \(acc.name) (32 d-max must stay below 2^\(acc.maxExponent))")
        }
        self.format = format
        self.accumulate = acc
        self.lanes = lanes
        self.dMax = dMax
        self.iterations = iterations
        self.etaShift = etaShift
        self.form = form
        self.mode = mode
        self.affine = affine
        self.eps = eps
        self.wide = wide
        for d in legalD where exactInteger(d) == nil {
            throw IterNormError("d = \(d) is not exactly representable in \(acc.name)")
        }
    }

    public var description: String {
        "format=\(format.name) accumulate=\(accumulate.name) lanes=\(lanes) d-max=\(dMax) "
            + "iterations=\(iterations) eta=2^-\(etaShift) form=\(form.rawValue) mode=\(mode.rawValue) "
            + "affine=\(affine) eps=\(eps)" + (wide ? " wide" : "")
    }

    /// Guard bits of the wide mode's centring format beyond what makes `d x` exact
    /// (docs/precision.md, "The centring"): its two roundings then stay far below `A`'s.
    public static let wideGuardBits = 8

    /// Bits of the wide LayerNorm's exact sum (`LongAccumulator`): two's complement over the
    /// whole range of `format`, for `dMax` terms.
    public var exactSumWidth: Int { LongAccumulator.width(format: format, terms: dMax) }

    /// The wide mode's centring format (the exact sum's two terms, `x_i d 2^-Tx - hi 2^-Tx - lo 2^-Tx`)
    /// for I/O `format` and vectors up to `dMax`: fraction bits `f_F + bitLength(dMax) + wideGuardBits`,
    /// so that `d x_i` is exact; exponent bits one more than FP32's (or `format`'s), so that any
    /// sum and every pre-scaled subnormal input is a normal number.
    public static func wideMeanFormat(format: FloatFormat, dMax: Int) -> FloatFormat {
        let e = max(format.exponentBits, 8) + 1
        let fraction = format.fractionBits + bitLength(max(1, dMax)) + wideGuardBits
        return FloatFormat(name: "e\(e)f\(fraction)", exponentBits: e, fractionBits: fraction)
    }

    /// The wide mode's arithmetic format after the centring (squares, sums, iterations, output):
    /// fraction bits `f_F + 4 + ceil(log2(n_s / 2 + 2K + 6))` with `n_s = log2 P + dMax / P - 1`
    /// the additions on the longest path of the squared norm: the bound on the relative error
    /// before the final rounding, `u (n_s / 2 + 2K + 6)`, then stays 2^3 below half an output ulp.
    public static func wideAccumulateFormat(format: FloatFormat, lanes: Int, dMax: Int, iterations: Int) -> FloatFormat {
        let e = max(format.exponentBits, 8) + 1
        let additions = Double(lanes.trailingZeroBitCount + max(1, dMax / max(1, lanes)) - 1)
        let roundings = additions / 2 + Double(2 * iterations + 6)
        let fraction = format.fractionBits + 4 + log2Ceiling(roundings)
        return FloatFormat(name: "e\(e)f\(fraction)", exponentBits: e, fractionBits: fraction)
    }

    private static func log2Ceiling(_ x: Double) -> Int {
        var bits = 0
        while Double(1 << bits) < x { bits += 1 }
        return bits
    }

    private static func bitLength(_ n: Int) -> Int { Int.bitWidth - n.leadingZeroBitCount }

    /// The vector lengths the configuration accepts: multiples of `lanes` up to `dMax`.
    public var legalD: StrideThrough<Int> { stride(from: lanes, through: dMax, by: lanes) }

    /// Throws unless `d` is a multiple of `lanes` in `lanes...dMax`.
    public func validate(d: Int) throws(IterNormError) {
        guard d >= lanes, d <= dMax, d % lanes == 0 else {
            throw IterNormError("d must be a multiple of lanes (\(lanes)) in \(lanes)...\(dMax), got \(d)")
        }
    }

    /// Whether gamma/beta are part of the computation: LayerNorm uses both, RMSNorm gamma only.
    public var hasGamma: Bool { affine }
    public var hasBeta: Bool { affine && mode == .layerNorm }

    /// The format of the mean: the accumulate format with one more exponent bit, so that a sum of
    /// `dMax` inputs cannot overflow and subnormal inputs keep every bit (no pre-scale needed).
    /// The wide mode sums (and centres) in `wideMeanFormat`.
    public var meanFormat: FloatFormat {
        if wide { return Self.wideMeanFormat(format: format, dMax: dMax) }
        return FloatFormat(name: "\(accumulate.name)x", exponentBits: accumulate.exponentBits + 1,
                           fractionBits: accumulate.fractionBits)
    }

    /// `d` as an `accumulate` encoding, or `nil` when it is not exact.
    func exactInteger(_ d: Int) -> UInt64? {
        let bits = accumulate.fromDouble(Double(d))
        return accumulate.toDouble(bits) == Double(d) ? bits : nil
    }
}

extension IterNormConfig {
    /// The per-d constants the macro keeps in small ROMs; the golden model uses the same values.
    public struct Constants: Sendable, Hashable {
        /// `fl(1 / d)` in `meanFormat`: multiplies the sum into the mean.
        public let meanScale: UInt64
        /// `fl(sqrt(d))`.
        public let sqrtD: UInt64
        /// `fl(d * fl(eps))`; in the wide LayerNorm, whose centred values are `d (x_i - mean)`,
        /// `fl(fl(d^3) * fl(eps))`.
        public let dEps: UInt64
        /// `d`, exact, in `meanFormat` (the wide LayerNorm's centring).
        public let d: UInt64
    }

    /// The constants for a legal `d` (in the accumulate format).
    public func constants(d: Int) throws(IterNormError) -> Constants {
        try validate(d: d)
        let a = accumulate
        guard let dBits = exactInteger(d) else {
            throw IterNormError("d = \(d) is not exactly representable in \(a.name)")
        }
        let w = meanFormat
        let epsScale = centresByLength ? a.fromDouble(Double(d) * Double(d) * Double(d)) : dBits
        return Constants(meanScale: w.div(w.fromDouble(1), w.fromDouble(Double(d))), sqrtD: a.sqrt(dBits),
                         dEps: a.mul(epsScale, a.fromDouble(eps)), d: w.fromDouble(Double(d)))
    }

    /// The wide LayerNorm centres by `d x_i - sum(x)` instead of `x_i - fl(sum(x) / d)`.
    public var centresByLength: Bool { wide && mode == .layerNorm }

    /// `1 + eta`, exact in the accumulate format.
    public var onePlusEta: UInt64 {
        accumulate.add(accumulate.fromDouble(1), accumulate.fromDouble(1.0 / Double(1 << etaShift)))
    }
}
