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

    /// LayerNorm or RMSNorm of `x` with IterNorm's pipeline and FISR in place of its iterations,
    /// so that a comparison with `IterNorm` isolates the inverse square root.
    ///
    /// The op order is IterNorm's (docs/iternorm-architecture.md): pre-scale by the largest input
    /// exponent, mean by the lanes-wide adder tree in `pipeline.meanFormat` times fl(1/d), y' and
    /// s' = tree sum of y'^2 (+ the eps term) in `pipeline.accumulate`; then r = fl(sqrt(d)) *
    /// FISR(s') with the accumulate format's constant (or `magic`), and z_i = ((gamma_i * y'_i) * r
    /// + beta_i) converted to `pipeline.format`. `pipeline.iterations`, `etaShift` and `form` are
    /// not used. NaN or infinity anywhere gives all NaN; a degenerate vector (all equal, or s' zero
    /// or infinite) gives beta, or zeros.
    public static func normalize(
        _ x: [UInt64], pipeline cfg: IterNormConfig, newtonSteps: Int, magic: UInt64? = nil,
        gamma: [UInt64]? = nil, beta: [UInt64]? = nil
    ) throws(IterNormError) -> [UInt64] {
        let f = cfg.format, a = cfg.accumulate, d = x.count
        let k = try cfg.constants(d: d)
        guard gamma.map({ $0.count == d }) ?? true, beta.map({ $0.count == d }) ?? true else {
            throw IterNormError("gamma and beta must have d = \(d) elements")
        }
        guard newtonSteps >= 0 else { throw IterNormError("newton steps must be >= 0, got \(newtonSteps)") }
        if x.contains(where: { !f.isFinite($0) }) { return [UInt64](repeating: f.invalidResult, count: d) }
        let tx = x.compactMap { f.unbiasedExponent($0) }.max() ?? 0
        let allEqual = cfg.mode == .layerNorm && x.allSatisfy { f.compare($0, x[0]) == .equal }
        let xa = x.map { f.convert($0, to: a) }
        let yScaled: [UInt64]
        switch cfg.mode {
        case .layerNorm:
            let w = cfg.meanFormat
            let mean = w.mul(w.treeAccumulate(x.map { f.convert($0, to: w) }, lanes: cfg.lanes), k.meanScale)
            let meanScaled = w.convert(w.scaleB(mean, -tx), to: a)
            yScaled = xa.map { a.sub(a.scaleB($0, -tx), meanScaled) }
        case .rmsNorm:
            yScaled = xa.map { a.scaleB($0, -tx) }
        }
        let s = a.add(a.treeAccumulate(yScaled.map { a.mul($0, $0) }, lanes: cfg.lanes), a.scaleB(k.dEps, -2 * tx))
        if allEqual || a.isZero(s) || a.isInfinite(s) { return beta ?? [UInt64](repeating: 0, count: d) }
        let r = a.mul(k.sqrtD, inverseSqrt(s, format: a, newtonSteps: newtonSteps,
                                           magic: magic ?? FISR.magic(for: a, newtonSteps: newtonSteps)))
        return (0..<d).map { i in
            var z = yScaled[i]
            if let gamma { z = a.mul(f.convert(gamma[i], to: a), z) }
            z = a.mul(z, r)
            if let beta { z = a.add(z, f.convert(beta[i], to: a)) }
            return a.convert(z, to: f)
        }
    }
}
