import Foundation

/// Parameters of the range batch-norm unit (LightNorm): C channels, n values per channel (the
/// positions N*H*W), K chunks, BFP blocks of g = blockSize consecutive channels at one position.
public struct RangeBatchNormConfig: Sendable, Hashable, Codable {
    public let channels: Int
    /// Values per channel, n.
    public let positions: Int
    /// Chunks per channel, K (n divisible by K, at least 2 values per chunk).
    public let chunks: Int
    /// Format of the input blocks.
    public let input: BFPFormat
    /// Format of the output blocks (same block size as the input).
    public let output: BFPFormat
    /// Format of the backward pass's incoming gradient dL/dy (same block size as the input).
    public let gradientInput: BFPFormat
    /// Format of the backward pass's outgoing gradient dL/dx (same block size as the input).
    public let gradientOutput: BFPFormat
    /// Format the sum and the chunk ranges accumulate in: wider than FP32 (extra mantissa bits).
    public let statFormat: FloatFormat
    /// eps as an FP32 encoding.
    public let eps: UInt64
    /// Newton steps of the reciprocal.
    public let newtonSteps: Int

    /// FP32 widened by 8 fraction bits: the default statistics accumulator.
    public static let defaultStatFormat = FloatFormat(name: "fp32x8", exponentBits: 8, fractionBits: 31)

    /// A configuration; throws on shapes the unit cannot handle.
    public init(channels: Int, positions: Int, chunks: Int = 8, input: BFPFormat, output: BFPFormat,
                gradientInput: BFPFormat? = nil, gradientOutput: BFPFormat? = nil,
                statFormat: FloatFormat = RangeBatchNormConfig.defaultStatFormat,
                eps: Double = 1e-5, newtonSteps: Int = 5) throws(RangeBatchNormError) {
        let g = input.blockSize
        for other in [output, gradientInput ?? input, gradientOutput ?? output] where other.blockSize != g {
            throw RangeBatchNormError("input, output and gradient blocks must group the same number of channels (\(g) vs \(other.blockSize))")
        }
        guard channels >= g, channels % g == 0 else {
            throw RangeBatchNormError("channels (\(channels)) must be a positive multiple of the block size \(g)")
        }
        guard chunks >= 1, positions >= 2 * chunks, positions % chunks == 0 else {
            throw RangeBatchNormError("positions (\(positions)) must split into \(chunks) chunks of at least 2 values")
        }
        guard statFormat.exponentBits >= 8, statFormat.fractionBits >= 23, statFormat.specials == .ieee else {
            throw RangeBatchNormError("the statistics format must hold every FP32 value exactly (IEEE, >= 8/23 bits)")
        }
        guard (1...16).contains(newtonSteps) else {
            throw RangeBatchNormError("Newton steps must be in 1...16, got \(newtonSteps)")
        }
        guard eps.isFinite, eps >= 0 else { throw RangeBatchNormError("eps must be finite and >= 0") }
        self.channels = channels
        self.positions = positions
        self.chunks = chunks
        self.input = input
        self.output = output
        self.gradientInput = gradientInput ?? input
        self.gradientOutput = gradientOutput ?? output
        self.statFormat = statFormat
        self.eps = FloatFormat.fp32.fromDouble(eps)
        self.newtonSteps = newtonSteps
    }

    /// Blocks per position (C / g).
    public var groups: Int { channels / input.blockSize }
    /// Values per chunk (n / K).
    public var chunkSize: Int { positions / chunks }
}

/// Per-channel statistics, FP32 encodings.
public struct RangeBatchNormStatistics: Sendable, Hashable {
    public let mean: UInt64
    /// Mean over chunks of (max - min).
    public let range: UInt64
    /// 1 / (range * C(n) + eps) by the Newton reciprocal.
    public let scale: UInt64
    /// Per chunk, the offset within the chunk of its maximum and of its minimum: where the running
    /// FP32 `maximum` (`minimum`) last changed its encoding. For ordinary values that is the first
    /// index holding the extreme (ties go to the first); a NaN takes the index of the first NaN,
    /// and +0 after -0 moves the maximum (-0 after +0 the minimum).
    public let argmax: [Int]
    public let argmin: [Int]
}

/// Forward range batch normalization, the golden model of the range-BN unit.
///
/// Operation order (every step one FP32 or statistics-format operation, round-to-nearest-even;
/// A = statFormat, all FP32 values enter A exactly):
/// - x = input blocks dequantized to FP32;
/// - per channel, positions in order: s = A(x_0); s = A.add(s, x_p); mean = fp32(A.mul(s, A(1/n)));
/// - per chunk j: mx = FP32 `maximum` over the chunk in order, mn = `minimum` (NaN propagates),
///   each remembering the offset where it last changed (`RangeBatchNormStatistics.argmax`);
///   r = A.sub(mx_0, mn_0); r = A.add(r, A.sub(mx_j, mn_j)); range = fp32(A.mul(r, A(1/K)));
/// - d = add(mul(range, C), eps); scale = ``reciprocal(_:steps:)``; a = mul(scale, gamma);
/// - y = add(mul(sub(x, mean), a), beta), then quantized block by block in stream order.
/// Constants A(1/n), A(1/K), C are rounded from Double (`fromDouble`).
public struct RangeBatchNorm: Sendable {
    public let config: RangeBatchNormConfig

    public init(config: RangeBatchNormConfig) { self.config = config }

    /// C(n) = 1 / sqrt(2 ln(n / K)) rounded to FP32.
    public static func constantC(positions: Int, chunks: Int) -> UInt64 {
        FloatFormat.fp32.fromDouble(1 / (2 * log(Double(positions) / Double(chunks))).squareRoot())
    }

    /// 1/d in FP32 with no divider: seed c0 = 0.75 * 2^-E (E = floor(log2|d|), sign of d; relative
    /// error <= 1/2), then `steps` Newton steps c = mul(c, sub(2, mul(d, c))).
    /// NaN -> NaN; +-0 -> +-infinity; +-infinity -> +-0; a seed that overflows is returned as is.
    public static func reciprocal(_ d: UInt64, steps: Int) -> UInt64 {
        let f = FloatFormat.fp32
        if f.isNaN(d) { return f.invalidResult }
        if f.isZero(d) { return f.infinity(sign: f.sign(d))! }
        if f.isInfinite(d) { return f.encode(sign: f.sign(d), exponentField: 0, fractionField: 0) }
        let e = f.unbiasedExponent(d)!
        let threeQuarters: UInt64 = 0x3F40_0000
        var c = f.scaleB(threeQuarters | (f.sign(d) ? f.signMask : 0), -e)
        if f.isInfinite(c) { return c }
        let two: UInt64 = 0x4000_0000
        for _ in 0..<steps {
            c = f.mul(c, f.sub(two, f.mul(d, c)))
        }
        return c
    }

    /// The per-channel statistics of a tensor given as position-major blocks.
    public func statistics(_ blocks: [BFPBlock]) throws(RangeBatchNormError) -> [RangeBatchNormStatistics] {
        let x = try dequantized(blocks)
        let cfg = config, f = FloatFormat.fp32, a = cfg.statFormat
        let n = cfg.positions, c = cfg.channels
        let invN = a.fromDouble(1 / Double(n)), invK = a.fromDouble(1 / Double(cfg.chunks))
        return (0..<c).map { ch in
            let mean = a.convert(a.mul(positionSum { x[$0 * c + ch] }, invN), to: f)
            var r: UInt64 = 0
            var argmax: [Int] = [], argmin: [Int] = []
            for j in 0..<cfg.chunks {
                let first = j * cfg.chunkSize
                var mx = x[first * c + ch], mn = mx
                var hi = 0, lo = 0
                for q in 1..<cfg.chunkSize {
                    let v = x[(first + q) * c + ch]
                    let newMax = f.maximum(mx, v), newMin = f.minimum(mn, v)
                    if newMax != mx { hi = q }
                    if newMin != mn { lo = q }
                    mx = newMax
                    mn = newMin
                }
                argmax.append(hi)
                argmin.append(lo)
                let width = a.sub(f.convert(mx, to: a), f.convert(mn, to: a))
                r = j == 0 ? width : a.add(r, width)
            }
            let range = a.convert(a.mul(r, invK), to: f)
            return RangeBatchNormStatistics(mean: mean, range: range, scale: scale(range: range),
                                            argmax: argmax, argmin: argmin)
        }
    }

    /// The statistics-format sum of one FP32 term per position, in position order:
    /// s = A(t_0), then s = A.add(s, A(t_p)) (every channel sum of the models).
    func positionSum(_ term: (Int) -> UInt64) -> UInt64 {
        let f = FloatFormat.fp32, a = config.statFormat
        var s = f.convert(term(0), to: a)
        for p in 1..<config.positions { s = a.add(s, f.convert(term(p), to: a)) }
        return s
    }

    /// 1 / (range * C(n) + eps): d = add(mul(range, C), eps), then ``reciprocal(_:steps:)``.
    public func scale(range: UInt64) -> UInt64 {
        let f = FloatFormat.fp32
        let cn = Self.constantC(positions: config.positions, chunks: config.chunks)
        return Self.reciprocal(f.add(f.mul(range, cn), config.eps), steps: config.newtonSteps)
    }

    /// The normalized tensor, FP32 before output quantization (position-major, channel-minor).
    public func normalize(_ blocks: [BFPBlock], gamma: [UInt64], beta: [UInt64])
        throws(RangeBatchNormError) -> (values: [UInt64], statistics: [RangeBatchNormStatistics]) {
        let c = config.channels
        guard gamma.count == c, beta.count == c else {
            throw RangeBatchNormError("gamma and beta need \(c) values each, got \(gamma.count) and \(beta.count)")
        }
        let stats = try statistics(blocks)
        return (apply(try dequantized(blocks), means: stats.map(\.mean), scales: stats.map(\.scale), gamma: gamma, beta: beta), stats)
    }

    /// y = add(mul(sub(x, mean), a), beta) with a = mul(scale, gamma), per channel.
    func apply(_ x: [UInt64], means: [UInt64], scales: [UInt64], gamma: [UInt64], beta: [UInt64]) -> [UInt64] {
        let f = FloatFormat.fp32, c = config.channels
        let a = (0..<c).map { f.mul(scales[$0], gamma[$0]) }
        return x.indices.map { i in
            let ch = i % c
            return f.add(f.mul(f.sub(x[i], means[ch]), a[ch]), beta[ch])
        }
    }

    /// Quantizes an FP32 stream (position-major) into blocks of `format`, LFSR seeded with `seed`.
    func quantized(_ values: [UInt64], _ format: BFPFormat, seed: UInt32) throws(RangeBatchNormError) -> [BFPBlock] {
        do {
            var q = try BFPQuantizer(format: format, source: .fp32, seed: seed)
            return try q.quantize(stream: values)
        } catch {
            throw RangeBatchNormError(error.description)
        }
    }

    /// Forward pass, BFP in and BFP out; `seed` starts the output quantizer's LFSR.
    public func forward(_ blocks: [BFPBlock], gamma: [UInt64], beta: [UInt64], seed: UInt32 = 1)
        throws(RangeBatchNormError) -> (blocks: [BFPBlock], statistics: [RangeBatchNormStatistics]) {
        let (y, stats) = try normalize(blocks, gamma: gamma, beta: beta)
        return (try quantized(y, config.output, seed: seed), stats)
    }

    /// The tensor dequantized to FP32, position-major.
    func dequantized(_ blocks: [BFPBlock], _ format: BFPFormat? = nil) throws(RangeBatchNormError) -> [UInt64] {
        let expected = config.positions * config.groups
        guard blocks.count == expected else {
            throw RangeBatchNormError("expected \(expected) blocks (\(config.positions) positions x \(config.groups) groups), got \(blocks.count)")
        }
        var x: [UInt64] = []
        x.reserveCapacity(config.positions * config.channels)
        for b in blocks {
            do { x += try (format ?? config.input).dequantize(b, to: .fp32) } catch { throw RangeBatchNormError(error.description) }
        }
        return x
    }
}

/// A range batch-norm configuration or input that cannot be used, with the reason.
public struct RangeBatchNormError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
