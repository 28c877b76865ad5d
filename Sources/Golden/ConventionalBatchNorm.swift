/// Conventional batch normalization in FP32, the golden model of the baseline unit that range
/// batch norm's area is measured against: the same configuration (shape, formats, statistics
/// format A, eps, Newton steps), the variance instead of the range.
///
/// Forward, per channel (every step one FP32 or A operation, round-to-nearest-even):
/// sum = A-sum of x in position order, mean = fp32(A.mul(sum, A(1/n))); a second pass
/// q = A-sum of A(mul(sub(x, mean), sub(x, mean))), var = fp32(A.mul(q, A(1/n))) (biased, as
/// training normalizes); scale = `rsqrt(add(var, eps))`; y = add(mul(sub(x, mean), mul(scale,
/// gamma)), beta).
/// Backward, with xhat = mul(sub(x, mean), scale): sg = A-sum g, sgx = A-sum mul(g, xhat);
/// dbeta = fp32(sg), dgamma = fp32(sgx), mg = fp32(A.mul(sg, A(1/n))), mgx = fp32(A.mul(sgx, A(1/n))),
/// k = mul(gamma, scale); dx = mul(k, sub(sub(g, mg), mul(xhat, mgx))).
public struct ConventionalBatchNorm: Sendable {
    public let config: RangeBatchNormConfig

    public init(config: RangeBatchNormConfig) { self.config = config }

    /// 1/sqrt(v) in FP32 with no divider or square root: seed 2^-(E/2) * 0.84375 for even
    /// E = floor(log2 v), 2^-((E-1)/2) * 0.59375 for odd E (relative error < 0.2), then `steps`
    /// Newton steps y = mul(y, sub(1.5, mul(mul(y, h), y))) with h = mul(v, 0.5) (y * h first:
    /// y * y overflows for tiny v). Within 4 ulps for normal v; a subnormal v loses bits in h.
    /// NaN or negative -> NaN; +-0 -> +infinity; +infinity -> +0.
    public static func rsqrt(_ v: UInt64, steps: Int) -> UInt64 {
        let f = FloatFormat.fp32
        if f.isNaN(v) || (f.sign(v) && !f.isZero(v)) { return f.invalidResult }
        if f.isZero(v) { return f.infinity(sign: false)! }
        if f.isInfinite(v) { return 0 }
        let e = f.unbiasedExponent(v)!
        let even = e & 1 == 0
        let half = even ? e / 2 : (e - 1) / 2
        var y = f.scaleB(even ? seedEven : seedOdd, -half)
        let h = f.mul(v, 0x3F00_0000)
        for _ in 0..<steps {
            y = f.mul(y, f.sub(0x3FC0_0000, f.mul(f.mul(y, h), y)))
        }
        return y
    }

    /// 0.84375 and 0.59375: 1/sqrt(m) for m in [1, 2) and 1/sqrt(2m), near their geometric middles.
    public static let seedEven: UInt64 = 0x3F58_0000
    public static let seedOdd: UInt64 = 0x3F18_0000

    /// Per channel: mean and scale (FP32 encodings).
    public func statistics(_ blocks: [BFPBlock]) throws(RangeBatchNormError) -> (mean: [UInt64], scale: [UInt64]) {
        let model = RangeBatchNorm(config: config)
        let x = try model.dequantized(blocks)
        let f = FloatFormat.fp32, a = config.statFormat, c = config.channels, n = config.positions
        let invN = a.fromDouble(1 / Double(n))
        var means: [UInt64] = [], scales: [UInt64] = []
        for ch in 0..<c {
            let mean = a.convert(a.mul(model.positionSum { x[$0 * c + ch] }, invN), to: f)
            let q = model.positionSum { p in
                let d = f.sub(x[p * c + ch], mean)
                return f.mul(d, d)
            }
            let variance = a.convert(a.mul(q, invN), to: f)
            means.append(mean)
            scales.append(Self.rsqrt(f.add(variance, config.eps), steps: config.newtonSteps))
        }
        return (means, scales)
    }

    /// The normalized tensor, FP32 before output quantization.
    public func values(_ blocks: [BFPBlock], gamma: [UInt64], beta: [UInt64]) throws(RangeBatchNormError) -> [UInt64] {
        let model = RangeBatchNorm(config: config)
        let (means, scales) = try statistics(blocks)
        return model.apply(try model.dequantized(blocks), means: means, scales: scales, gamma: gamma, beta: beta)
    }

    /// The forward pass, BFP in and out (output quantizer seeded with `seed`).
    public func forward(_ blocks: [BFPBlock], gamma: [UInt64], beta: [UInt64], seed: UInt32 = 1)
        throws(RangeBatchNormError) -> [BFPBlock] {
        try RangeBatchNorm(config: config).quantized(values(blocks, gamma: gamma, beta: beta), config.output, seed: seed)
    }

    /// The backward pass: dL/dx before quantization and the parameter gradients.
    public func gradients(stored blocks: [BFPBlock], gamma: [UInt64], dy: [BFPBlock]) throws(RangeBatchNormError) -> RangeBatchNormGradients {
        let model = RangeBatchNorm(config: config)
        let (means, scales) = try statistics(blocks)
        let x = try model.dequantized(blocks), g = try model.dequantized(dy, config.gradientInput)
        let f = FloatFormat.fp32, a = config.statFormat, c = config.channels, n = config.positions
        let invN = a.fromDouble(1 / Double(n))
        let xhat = x.indices.map { f.mul(f.sub(x[$0], means[$0 % c]), scales[$0 % c]) }
        let sums = model.gradientSums(x: x, g: g, means: means, scales: scales)
        let dbeta = sums.map { a.convert($0.sg, to: f) }, dgamma = sums.map { a.convert($0.sgx, to: f) }
        let mg = sums.map { a.convert(a.mul($0.sg, invN), to: f) }, mgx = sums.map { a.convert(a.mul($0.sgx, invN), to: f) }
        let k = (0..<c).map { f.mul(gamma[$0], scales[$0]) }
        let dx = g.indices.map { i in
            let ch = i % c
            return f.mul(k[ch], f.sub(f.sub(g[i], mg[ch]), f.mul(xhat[i], mgx[ch])))
        }
        return RangeBatchNormGradients(dx: dx, dgamma: dgamma, dbeta: dbeta)
    }
}
