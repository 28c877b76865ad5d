/// The bit-exact IterNorm model: LayerNorm / RMSNorm by the iterative L2-normalization of
/// Ye et al. (arXiv 2412.04778), with the op order of docs/iternorm-architecture.md.
///
/// ```swift
/// let norm = IterNorm(try IterNormConfig(format: .bf16, lanes: 64, dMax: 1024))
/// let z = try norm.normalize(x: xBits, gamma: gammaBits, beta: betaBits)
/// ```
public struct IterNorm: Sendable {
    public let config: IterNormConfig

    public init(_ config: IterNormConfig) { self.config = config }

    /// The normalized vector (encodings in `config.format`).
    ///
    /// `x`, `gamma`, `beta` are encodings in `config.format`; `gamma` is required when
    /// `config.affine`, `beta` when `config.hasBeta`, and both must be absent otherwise.
    public func normalize(x: [UInt64], gamma: [UInt64]? = nil, beta: [UInt64]? = nil) throws(IterNormError) -> [UInt64] {
        try trace(x: x, gamma: gamma, beta: beta).output
    }

    /// Every intermediate scalar of one vector, for tests and for debugging the RTL stage by stage.
    public struct Trace: Sendable, Hashable {
        /// Some input is NaN or infinite: every output is the canonical NaN.
        public var nan = false
        /// LayerNorm: all inputs are numerically equal.
        public var allEqual = false
        /// Pre-scale exponent: the largest `floor(log2 |x_i|)` (0 for an all-zero vector).
        public var tx = 0
        /// The mean (LayerNorm; in `config.meanFormat`), before pre-scaling; in the wide mode, the
        /// exact sum of the inputs rounded (`hi`; the centred values are `d x_i - hi - lo`).
        public var mean: UInt64 = 0
        /// The wide LayerNorm's `lo`: the exact sum's remainder after `mean`, rounded.
        public var meanLow: UInt64 = 0
        /// `s' + epsTerm`: the pre-scaled squared norm.
        public var squaredNorm: UInt64 = 0
        /// `s` was zero or infinite, or the vector all-equal (LayerNorm): output beta or +0.
        public var degenerate = false
        /// `floor((E(s) + 1) / 2)`.
        public var e0 = 0
        /// The output scale `r` (`sqrt(d) c_K` in the scalar form, `fl(sqrt(d))` in the vector form).
        public var r: UInt64 = 0
        /// `eta * u` after each iteration.
        public var etaU: [UInt64] = []
        /// The result, in the I/O format.
        public var output: [UInt64] = []
    }

    /// Runs the model and returns every intermediate; see `normalize`.
    public func trace(x: [UInt64], gamma: [UInt64]? = nil, beta: [UInt64]? = nil) throws(IterNormError) -> Trace {
        let cfg = config, f = cfg.format, a = cfg.accumulate
        let d = x.count
        try cfg.validate(d: d)
        try checkParameter(gamma, named: "gamma", wanted: cfg.hasGamma, d: d)
        try checkParameter(beta, named: "beta", wanted: cfg.hasBeta, d: d)
        let k = try cfg.constants(d: d)
        var tr = Trace()

        // Flags: exact, no rounding.
        tr.nan = x.contains { !f.isFinite($0) }
        if tr.nan {
            tr.output = [UInt64](repeating: f.canonicalNaN ?? 0, count: d)
            return tr
        }
        tr.tx = x.compactMap { f.unbiasedExponent($0) }.max() ?? 0
        if cfg.mode == .layerNorm {
            tr.allEqual = x.allSatisfy { f.compare($0, x[0]) == .equal }
        }
        let xa = x.map { f.convert($0, to: a) }

        // Pass 1 and 2: the pre-scaled centred vector y' and its squared norm.
        let yScaled: [UInt64]
        switch cfg.mode {
        case .layerNorm:
            let w = cfg.meanFormat
            if cfg.centresByLength {
                // The sum exact, as hi + lo in W; x_i (d 2^-Tx), hi 2^-Tx and lo 2^-Tx are exact in
                // W: two roundings in the subtractions, one into A (docs/precision.md).
                var sum = LongAccumulator(format: f, terms: d)
                for xi in x { sum.add(xi) }
                (tr.mean, tr.meanLow) = sum.split(into: w)
                let hiScaled = w.scaleB(tr.mean, -tr.tx), loScaled = w.scaleB(tr.meanLow, -tr.tx)
                let dScaled = w.scaleB(k.d, -tr.tx)
                yScaled = x.map { xi in
                    w.convert(w.sub(w.sub(w.mul(f.convert(xi, to: w), dScaled), hiScaled), loScaled), to: a)
                }
            } else {
                let sum = w.treeAccumulate(x.map { f.convert($0, to: w) }, lanes: cfg.lanes)
                tr.mean = w.mul(sum, k.meanScale)
                let meanScaled = w.convert(w.scaleB(tr.mean, -tr.tx), to: a)
                yScaled = xa.map { a.sub(a.scaleB($0, -tr.tx), meanScaled) }
            }
        case .rmsNorm:
            yScaled = xa.map { a.scaleB($0, -tr.tx) }
        }
        let epsTerm = a.scaleB(k.dEps, -2 * tr.tx)
        let sPrime = a.treeAccumulate(yScaled.map { a.mul($0, $0) }, lanes: cfg.lanes)
        tr.squaredNorm = a.add(sPrime, epsTerm)
        tr.degenerate = tr.allEqual || a.isZero(tr.squaredNorm) || a.isInfinite(tr.squaredNorm)
        if tr.degenerate {
            tr.output = beta ?? [UInt64](repeating: 0, count: d)
            return tr
        }

        // Initialization from the exponent of s, then K iterations on t = eta * u.
        let es = a.unbiasedExponent(tr.squaredNorm) ?? 0
        tr.e0 = (es + 1) >> 1  // floor division: arithmetic shift
        var t = a.scaleB(tr.squaredNorm, -(2 * tr.e0 + cfg.etaShift))
        let onePlusEta = cfg.onePlusEta
        var v: [UInt64]
        switch cfg.form {
        case .scalar:
            var c = a.scaleB(k.sqrtD, -tr.e0)
            if cfg.wide {
                let seed = IterNormSeed.table(in: a)[IterNormSeed.index(of: tr.squaredNorm, in: a)]
                c = a.mul(c, seed.g)
                t = a.mul(t, seed.gSquared)
            }
            for _ in 0..<cfg.iterations {
                let m = a.sub(onePlusEta, t)
                c = a.mul(c, m)
                t = a.mul(a.mul(t, m), m)
                tr.etaU.append(t)
            }
            tr.r = c
            v = yScaled
        case .vector:
            v = yScaled.map { a.scaleB($0, -tr.e0) }
            var e = a.scaleB(epsTerm, -2 * tr.e0)
            for _ in 0..<cfg.iterations {
                let m = a.sub(onePlusEta, t)
                v = v.map { a.mul($0, m) }
                e = a.mul(a.mul(e, m), m)
                let u = a.add(a.treeAccumulate(v.map { a.mul($0, $0) }, lanes: cfg.lanes), e)
                t = a.scaleB(u, -cfg.etaShift)
                tr.etaU.append(t)
            }
            tr.r = k.sqrtD
        }

        // Output: g*v does not depend on r (computed while the iterations run), then *r, +b.
        tr.output = (0..<d).map { i in
            var z = v[i]
            if let gamma { z = a.mul(f.convert(gamma[i], to: a), z) }
            z = a.mul(z, tr.r)
            if let beta { z = a.add(z, f.convert(beta[i], to: a)) }
            return a.convert(z, to: f)
        }
        return tr
    }

    private func checkParameter(_ p: [UInt64]?, named name: String, wanted: Bool, d: Int) throws(IterNormError) {
        switch (p, wanted) {
        case (nil, true): throw IterNormError("\(name) is required by \(config.mode.rawValue) with affine")
        case (.some, false):
            throw IterNormError("\(name) is not a parameter of this configuration (\(config.mode.rawValue), affine=\(config.affine))")
        case (let p?, true) where p.count != d:
            throw IterNormError("\(name) has \(p.count) elements, x has \(d)")
        default: return
        }
    }
}
