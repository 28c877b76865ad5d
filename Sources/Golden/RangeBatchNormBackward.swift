/// The backward pass of one tensor: dL/dx before output quantization and the per-channel
/// parameter gradients (FP32 encodings).
public struct RangeBatchNormGradients: Sendable, Hashable {
    /// dL/dx, FP32, position-major, channel-minor.
    public let dx: [UInt64]
    /// Per channel, dL/dgamma = sum g * xhat.
    public let dgamma: [UInt64]
    /// Per channel, dL/dbeta = sum g.
    public let dbeta: [UInt64]
}

extension RangeBatchNorm {
    /// The backward pass, the golden model of the training unit's gradient passes.
    ///
    /// Inputs: the forward's stored input blocks and its statistics (mean, scale, each chunk's
    /// argmax/argmin), gamma, and dL/dy as blocks of `config.gradientInput` in the forward's layout.
    /// Operation order (FP32 round-to-nearest-even unless A, the statistics format, is named):
    /// - pass 1, positions in order per channel: x and g dequantized; xhat = mul(sub(x, mean), scale);
    ///   sg = A(g_0), sg = A.add(sg, A(g_p)); sgx = A(mul(g_0, xhat_0)), sgx = A.add(sgx, A(mul(g_p, xhat_p)));
    /// - per channel: dbeta = fp32(sg); dgamma = fp32(sgx); mg = mul(gamma, fp32(A.mul(sg, A(1/n))))
    ///   (the mean of g' = gamma g); t = mul(mul(mul(gamma, dgamma), scale), -C/K) (dL/dR / K, since
    ///   sum g' xhat = gamma dgamma; -C/K rounded from Double);
    /// - pass 2: dx = mul(sub(mul(gamma, g), mg), scale); then dx = add(dx, t) at a chunk's argmax
    ///   and dx = sub(dx, t) at its argmin, neither where they coincide (an all-equal chunk: the two
    ///   terms cancel).
    public func gradients(stored blocks: [BFPBlock], statistics stats: [RangeBatchNormStatistics],
                          gamma: [UInt64], dy: [BFPBlock]) throws(RangeBatchNormError) -> RangeBatchNormGradients {
        let cfg = config, c = cfg.channels, n = cfg.positions
        guard gamma.count == c, stats.count == c else {
            throw RangeBatchNormError("gamma and the statistics need \(c) channels each, got \(gamma.count) and \(stats.count)")
        }
        let x = try dequantized(blocks), g = try dequantized(dy, cfg.gradientInput)
        let f = FloatFormat.fp32, a = cfg.statFormat
        let invN = a.fromDouble(1 / Double(n))
        let cn = f.toDouble(Self.constantC(positions: n, chunks: cfg.chunks))
        let negCOverK = f.fromDouble(-cn / Double(cfg.chunks))
        let sums = gradientSums(x: x, g: g, means: stats.map(\.mean), scales: stats.map(\.scale))
        let dbeta = sums.map { a.convert($0.sg, to: f) }, dgamma = sums.map { a.convert($0.sgx, to: f) }
        let meanGp = (0..<c).map { f.mul(gamma[$0], a.convert(a.mul(sums[$0].sg, invN), to: f)) }
        let rangeTerm = (0..<c).map { f.mul(f.mul(f.mul(gamma[$0], dgamma[$0]), stats[$0].scale), negCOverK) }
        let dx = g.indices.map { i in
            let ch = i % c, p = i / c
            let s = stats[ch]
            let v = f.mul(f.sub(f.mul(gamma[ch], g[i]), meanGp[ch]), s.scale)
            let chunk = p / cfg.chunkSize, q = p % cfg.chunkSize
            let isMax = s.argmax[chunk] == q, isMin = s.argmin[chunk] == q
            if isMax && !isMin { return f.add(v, rangeTerm[ch]) }
            if isMin && !isMax { return f.sub(v, rangeTerm[ch]) }
            return v
        }
        return RangeBatchNormGradients(dx: dx, dgamma: dgamma, dbeta: dbeta)
    }

    /// Pass 1 of both models' backward passes, per channel: xhat = mul(sub(x, mean), scale) and
    /// the position sums (`positionSum`) of g and of mul(g, xhat).
    func gradientSums(x: [UInt64], g: [UInt64], means: [UInt64], scales: [UInt64]) -> [(sg: UInt64, sgx: UInt64)] {
        let f = FloatFormat.fp32, c = config.channels
        return (0..<c).map { ch in
            let gx = { (p: Int) in f.mul(g[p * c + ch], f.mul(f.sub(x[p * c + ch], means[ch]), scales[ch])) }
            return (positionSum { g[$0 * c + ch] }, positionSum(gx))
        }
    }

    /// The backward pass with dL/dx quantized to `config.gradientOutput` (LFSR seeded with `seed`).
    public func backward(stored blocks: [BFPBlock], statistics: [RangeBatchNormStatistics], gamma: [UInt64],
                         dy: [BFPBlock], seed: UInt32 = 1) throws(RangeBatchNormError)
        -> (dx: [BFPBlock], dgamma: [UInt64], dbeta: [UInt64]) {
        let grads = try gradients(stored: blocks, statistics: statistics, gamma: gamma, dy: dy)
        return (try quantized(grads.dx, config.gradientOutput, seed: seed), grads.dgamma, grads.dbeta)
    }
}
