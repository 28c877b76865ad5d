/// Running statistics of range batch norm for inference, per channel (FP32 encodings), updated
/// at the end of every training tensor with PyTorch's momentum convention:
/// running = (1 - momentum) * running + momentum * batch statistic.
///
/// The range takes the place of PyTorch's running variance. They start as PyTorch's do at a unit
/// normal distribution: mean 0 and the range whose scale is 1 (R = 1/C(n), so R * C(n) = 1).
/// There is no Bessel correction: R is not a variance estimate.
public struct RangeBatchNormRunning: Sendable, Hashable {
    public var mean: [UInt64]
    public var range: [UInt64]

    /// The reset state of `channels` channels for a shape of n positions in K chunks.
    public init(channels: Int, positions: Int, chunks: Int) {
        let f = FloatFormat.fp32
        let c = f.toDouble(RangeBatchNorm.constantC(positions: positions, chunks: chunks))
        mean = Array(repeating: 0, count: channels)
        range = Array(repeating: f.fromDouble(1 / c), count: channels)
    }

    public init(mean: [UInt64], range: [UInt64]) {
        self.mean = mean
        self.range = range
    }

    /// momentum (FP32 encoding) and 1 - momentum rounded from Double, as the unit's constants.
    public static func weights(momentum: Double) -> (keep: UInt64, take: UInt64) {
        (FloatFormat.fp32.fromDouble(1 - momentum), FloatFormat.fp32.fromDouble(momentum))
    }

    /// One update: r = add(mul(keep, r), mul(take, batch)) for the mean and the range.
    public mutating func update(with stats: [RangeBatchNormStatistics], momentum: Double) {
        let f = FloatFormat.fp32, (keep, take) = Self.weights(momentum: momentum)
        for ch in stats.indices {
            mean[ch] = f.add(f.mul(keep, mean[ch]), f.mul(take, stats[ch].mean))
            range[ch] = f.add(f.mul(keep, range[ch]), f.mul(take, stats[ch].range))
        }
    }
}

extension RangeBatchNorm {
    /// Inference: normalizes with running statistics instead of the tensor's own, in one pass:
    /// scale = `scale(range:)` of the running range, then y as in `normalize` with the running
    /// mean; FP32 before output quantization.
    public func inferenceValues(_ blocks: [BFPBlock], gamma: [UInt64], beta: [UInt64],
                                running: RangeBatchNormRunning) throws(RangeBatchNormError) -> [UInt64] {
        let c = config.channels
        guard gamma.count == c, beta.count == c, running.mean.count == c, running.range.count == c else {
            throw RangeBatchNormError("gamma, beta and the running statistics need \(c) values each")
        }
        return apply(try dequantized(blocks), means: running.mean, scales: running.range.map(scale(range:)),
                     gamma: gamma, beta: beta)
    }

    /// Inference, BFP in and BFP out (the output quantizer's LFSR seeded with `seed`).
    public func inference(_ blocks: [BFPBlock], gamma: [UInt64], beta: [UInt64], running: RangeBatchNormRunning,
                          seed: UInt32 = 1) throws(RangeBatchNormError) -> [BFPBlock] {
        try quantized(inferenceValues(blocks, gamma: gamma, beta: beta, running: running), config.output, seed: seed)
    }
}
