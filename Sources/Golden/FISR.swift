/// The fast inverse square root baseline: i = MAGIC - (bits(s) >> 1), then Newton steps
/// y <- y * (1.5 - (0.5 * s * y) * y), every operation rounded in the format (nearest-even).
public enum FISR {
    /// The magic constant for `format`: FP32 Lomont's 0x5F375A86 with Newton steps (0x5F37642F
    /// without), BF16 0x5F35 (0x5F37 without), FP16 0x59B7 (0x59BB without), per the spec; for
    /// any other format the classic derivation round(1.5 * 2^f * (bias - 0.0450466)), which
    /// reproduces 0x5F3759DF for FP32.
    public static func magic(for format: FloatFormat, newtonSteps: Int) -> UInt64 {
        let newton = newtonSteps > 0
        switch (format.exponentBits, format.fractionBits, format.specials) {
        case (8, 23, .ieee): return newton ? 0x5F37_5A86 : 0x5F37_642F
        case (8, 7, .ieee): return newton ? 0x5F35 : 0x5F37
        case (5, 10, .ieee): return newton ? 0x59B7 : 0x59BB
        default:
            let scaled = 1.5 * Double(sign: .plus, exponent: format.fractionBits, significand: 1)
                * (Double(format.bias) - 0.0450466)
            return UInt64(scaled.rounded())
        }
    }

    /// The Quake III constant for FP32, for comparison with Lomont's.
    public static let quakeFP32: UInt64 = 0x5F37_59DF

    /// Approximates 1/sqrt(s) for a positive finite encoding `s` of `format`.
    ///
    /// Zero, negative and non-finite inputs return the format's invalid result (canonical NaN):
    /// the bit trick is meaningless there, and callers guard against them.
    public static func inverseSqrt(_ s: UInt64, format: FloatFormat, newtonSteps: Int,
                                   magic: UInt64) -> UInt64 {
        let f = format
        if f.isNaN(s) || f.isInfinite(s) || f.isZero(s) || f.sign(s) { return f.invalidResult }
        var y = (magic &- (s >> 1)) & f.encodingMask
        let halfS = f.scaleB(s, -1)
        let threeHalves = f.fromDouble(1.5)
        for _ in 0..<newtonSteps {
            let t = f.mul(f.mul(halfS, y), y)
            y = f.mul(y, f.sub(threeHalves, t))
        }
        return y
    }

    /// LayerNorm or RMSNorm of `x` (encodings of `format`) with FISR in place of 1/sqrt.
    ///
    /// Every operation is rounded once in `accumulate` (default: FP32 for formats narrower than
    /// FP32, else the format itself), the result converted to `format` at the end: sequential sum,
    /// mean = sum * fl(1/d), y_i = x_i - mean; pre-scale y by 2^-Emax (Emax = largest exponent of
    /// the y_i, so s cannot overflow); s = sum of y'^2 by fused multiply-adds (+ d*eps*2^-2Emax);
    /// r = fl(sqrt(d)) * FISR(s) with the accumulate format's constant; z_i = (gamma_i * y'_i) * r
    /// + beta_i. NaN or infinity anywhere gives all NaN; an all-equal vector gives beta (or zeros).
    public static func normalize(
        _ x: [UInt64], format: FloatFormat, accumulate: FloatFormat? = nil, mode: NormMode = .layerNorm,
        newtonSteps: Int, magic: UInt64? = nil, gamma: [UInt64]? = nil, beta: [UInt64]? = nil, eps: Double = 0
    ) -> [UInt64] {
        let f = format
        let prefix = NormPrefix(x, format: f, accumulate: accumulate, mode: mode, meanByReciprocal: true)
        guard let prefix else { return Array(repeating: f.invalidResult, count: x.count) }
        guard let (scaled, emax) = prefix.prescaled() else {
            return beta ?? Array(repeating: 0, count: x.count)
        }
        let a = prefix.accumulate
        var s = prefix.sumOfSquares(scaled)
        if eps > 0 {
            s = a.add(s, a.fromDouble(Double(x.count) * eps * Double(sign: .plus, exponent: -2 * emax, significand: 1)))
        }
        let constant = magic ?? FISR.magic(for: a, newtonSteps: newtonSteps)
        let r = a.mul(a.fromDouble(Double(x.count).squareRoot()),
                      inverseSqrt(s, format: a, newtonSteps: newtonSteps, magic: constant))
        return prefix.outputPass(scaled, scale: r, gamma: gamma, beta: beta)
    }
}
