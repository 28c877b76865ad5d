import Foundation
import Golden
import Testing

/// The FP32 op-order backward pass, running statistics and inference of `RangeBatchNorm` against
/// the FP64 reference (`RangeBatchNormReference`, itself checked against finite differences) on
/// the same dequantized inputs, and the argmax/argmin rule.
@Suite struct RangeBatchNormBackwardTests {
    let f = FloatFormat.fp32

    func value(_ bits: UInt64) -> Double { f.toDouble(bits) }

    func blocks(_ x: [Double], _ format: BFPFormat) throws -> [BFPBlock] {
        var q = try BFPQuantizer(format: format, source: .fp32)
        return try q.quantize(stream: x.map { FloatFormat.fp32.fromDouble($0) })
    }

    /// A tensor, its gradient and parameters drawn from one seed; activations N(mu, sigma) per
    /// channel, kept away from zero so the FP32 and FP64 tie rules coincide.
    struct Case {
        let cfg: RangeBatchNormConfig
        let x: [BFPBlock], dy: [BFPBlock]
        let gamma: [UInt64], beta: [UInt64]
    }

    func randomCase(preset: String, gradient: String, seed: UInt64) throws -> Case {
        var rng = SeededRandom(seed: seed, stream: 15)
        let fmt = try BFPFormat.preset(named: preset), gfmt = try BFPFormat.preset(named: gradient)
        let cfg = try RangeBatchNormConfig(channels: fmt.blockSize * 2, positions: 128, chunks: 8, input: fmt, output: fmt,
                                           gradientInput: gfmt, gradientOutput: gfmt)
        let c = cfg.channels
        let mus = (0..<c).map { _ in rng.nextNormal() * 4 }, sigmas = (0..<c).map { _ in exp(rng.nextNormal()) }
        let x = (0..<(cfg.positions * c)).map { i -> Double in
            let v = rng.nextNormal(mean: mus[i % c], stddev: sigmas[i % c])
            return v.magnitude < 1e-3 ? 1 : v
        }
        let dy = (0..<(cfg.positions * c)).map { _ in rng.nextNormal() * 0.01 }
        return Case(cfg: cfg, x: try blocks(x, fmt), dy: try blocks(dy, gfmt),
                    gamma: (0..<c).map { _ in f.fromDouble(1 + 0.2 * rng.nextNormal()) },
                    beta: (0..<c).map { _ in f.fromDouble(0.1 * rng.nextNormal()) })
    }

    @Test(arguments: [("mxint8", "mxfp8-e5m2", 1), ("mxfp8-e4m3", "mxfp8-e5m2", 2), ("hbfp8", "hbfp8", 3)])
    func backwardAgreesWithTheFP64Reference(preset: String, gradient: String, seed: Int) throws {
        let t = try randomCase(preset: preset, gradient: gradient, seed: UInt64(seed))
        let cfg = t.cfg, c = cfg.channels, n = cfg.positions
        let model = RangeBatchNorm(config: cfg)
        let stats = try model.statistics(t.x)
        let grads = try model.gradients(stored: t.x, statistics: stats, gamma: t.gamma, dy: t.dy)
        let xq = try t.x.flatMap { try cfg.input.dequantize($0, to: .fp64) }.map(FloatFormat.fp64.toDouble)
        let gq = try t.dy.flatMap { try cfg.gradientInput.dequantize($0, to: .fp64) }.map(FloatFormat.fp64.toDouble)
        let cn = value(RangeBatchNorm.constantC(positions: n, chunks: cfg.chunks))
        var worst = 0.0
        for ch in 0..<c {
            let col = (0..<n).map { xq[$0 * c + ch] }, dy = (0..<n).map { gq[$0 * c + ch] }
            let gamma = value(t.gamma[ch])
            let ref = RangeBatchNormReference.forward(col, gamma: gamma, beta: 0, chunks: cfg.chunks, c: cn, eps: 1e-5)
            #expect(stats[ch].argmax == ref.argmax.enumerated().map { $0.element - $0.offset * cfg.chunkSize })
            #expect(stats[ch].argmin == ref.argmin.enumerated().map { $0.element - $0.offset * cfg.chunkSize })
            let back = RangeBatchNormReference.backward(ref, dy: dy, gamma: gamma, chunks: cfg.chunks, c: cn)
            // Relative to the gradient's magnitude in the channel: cancellation in g' - mean(g')
            // leaves FP32 rounding of the larger terms.
            let magnitude = back.dx.map(\.magnitude).max()!
            for p in 0..<n {
                let err = abs(value(grads.dx[p * c + ch]) - back.dx[p]) / magnitude
                worst = max(worst, err)
                #expect(err <= 1e-5, "\(preset) ch \(ch) p \(p): \(value(grads.dx[p * c + ch])) vs \(back.dx[p])")
            }
            let gScale = dy.map(\.magnitude).reduce(0, +)
            #expect(abs(value(grads.dbeta[ch]) - back.dbeta) <= 1e-6 * gScale)
            #expect(abs(value(grads.dgamma[ch]) - back.dgamma) <= 1e-5 * gScale * ref.xhat.map(\.magnitude).max()!)
        }
        #expect(worst > 0, "the FP32 and FP64 passes round differently somewhere")
    }

    /// First-index ties for max and min, an all-equal chunk (no range term), and a NaN.
    @Test func argmaxArgminRule() throws {
        let fmt = try BFPFormat(blockSize: 1, element: .float(.e4m3))
        let cfg = try RangeBatchNormConfig(channels: 1, positions: 16, chunks: 4, input: fmt, output: fmt)
        let x: [Double] = [1, 3, 3, -2,   2, 2, 2, 2,   -1, -4, -4, 5,   1, .nan, 2, .nan]
        let stats = try RangeBatchNorm(config: cfg).statistics(try blocks(x, fmt))[0]
        #expect(stats.argmax == [1, 0, 3, 1])
        #expect(stats.argmin == [3, 0, 1, 1])
        // dx of the all-equal chunk carries no range term; chunk 0's argmax and argmin do.
        let model = RangeBatchNorm(config: cfg)
        let clean = Array(x[0..<12]) + [1, 0, 2, 0.5]
        let s = try model.statistics(try blocks(clean, fmt))
        let dy = try blocks((0..<16).map { Double($0 % 5) / 8 - 0.25 }, fmt)
        let one = f.fromDouble(1)
        let grads = try model.gradients(stored: try blocks(clean, fmt), statistics: s, gamma: [one], dy: dy)
        let gq = try dy.flatMap { try fmt.dequantize($0, to: .fp32) }
        let a = cfg.statFormat
        var sg = f.convert(gq[0], to: a)
        for p in 1..<16 { sg = a.add(sg, f.convert(gq[p], to: a)) }
        let mg = f.mul(one, a.convert(a.mul(sg, a.fromDouble(1.0 / 16)), to: f))
        let plain = { (p: Int) in f.mul(f.sub(f.mul(one, gq[p]), mg), s[0].scale) }
        for p in 4..<8 { #expect(grads.dx[p] == plain(p), "all-equal chunk, p \(p)") }
        #expect(grads.dx[1] != plain(1) && grads.dx[3] != plain(3))
        #expect(grads.dx[2] == plain(2))
    }

    @Test func zeroGradientGivesZeroGradients() throws {
        let t = try randomCase(preset: "mxint8", gradient: "mxint8", seed: 4)
        let model = RangeBatchNorm(config: t.cfg)
        let zero = t.dy.map { BFPBlock(scale: $0.scale, elements: Array(repeating: 0, count: $0.elements.count)) }
        let grads = try model.gradients(stored: t.x, statistics: try model.statistics(t.x), gamma: t.gamma, dy: zero)
        #expect(grads.dx.allSatisfy { f.isZero($0) } && grads.dgamma.allSatisfy { f.isZero($0) } && grads.dbeta.allSatisfy { f.isZero($0) })
    }

    @Test func runningStatisticsFollowPyTorchsConvention() throws {
        let t = try randomCase(preset: "mxint8", gradient: "mxint8", seed: 5)
        let model = RangeBatchNorm(config: t.cfg), c = t.cfg.channels
        var running = RangeBatchNormRunning(channels: c, positions: t.cfg.positions, chunks: t.cfg.chunks)
        let cn = value(RangeBatchNorm.constantC(positions: t.cfg.positions, chunks: t.cfg.chunks))
        #expect(abs(value(running.range[0]) * cn - 1) < 1e-6 && running.mean[0] == 0)
        var meanD = [Double](repeating: 0, count: c), rangeD = (0..<c).map { value(running.range[$0]) }
        let stats = try model.statistics(t.x)
        for _ in 0..<3 {
            running.update(with: stats, momentum: 0.1)
            for ch in 0..<c {
                meanD[ch] = 0.9 * meanD[ch] + 0.1 * value(stats[ch].mean)
                rangeD[ch] = 0.9 * rangeD[ch] + 0.1 * value(stats[ch].range)
            }
        }
        for ch in 0..<c {
            #expect(abs(value(running.mean[ch]) - meanD[ch]) <= 1e-6 * (1 + abs(meanD[ch])))
            #expect(abs(value(running.range[ch]) - rangeD[ch]) <= 1e-6 * rangeD[ch])
        }
        // With the tensor's own statistics as the running ones, inference is the training forward.
        let own = RangeBatchNormRunning(mean: stats.map(\.mean), range: stats.map(\.range))
        let y = try model.inferenceValues(t.x, gamma: t.gamma, beta: t.beta, running: own)
        #expect(y == (try model.normalize(t.x, gamma: t.gamma, beta: t.beta).values))
    }
}

/// The conventional batch norm golden model (the area baseline) against the FP64 textbook
/// formulas on the same dequantized inputs, and its Newton reciprocal square root.
@Suite struct ConventionalBatchNormTests {
    let f = FloatFormat.fp32

    @Test func rsqrtIsWithinFourUlps() {
        var rng = SeededRandom(seed: 17)
        for _ in 0..<20000 {
            let bits = UInt64(UInt32.random(in: 0x0080_0000...0x7F7F_FFFF, using: &rng))
            let r = f.toDouble(ConventionalBatchNorm.rsqrt(bits, steps: 5)), v = f.toDouble(bits)
            #expect(abs(r * v.squareRoot() - 1) <= 0x1p-21, "rsqrt(\(v)) = \(r)")
        }
        #expect(ConventionalBatchNorm.rsqrt(0, steps: 5) == 0x7F80_0000)
        #expect(ConventionalBatchNorm.rsqrt(0x7F80_0000, steps: 5) == 0)
        #expect(f.isNaN(ConventionalBatchNorm.rsqrt(f.fromDouble(-1), steps: 5)))
        #expect(ConventionalBatchNorm.rsqrt(f.fromDouble(4), steps: 5) == f.fromDouble(0.5))
    }

    @Test func forwardAndBackwardAgreeWithTheFP64Formulas() throws {
        let t = try RangeBatchNormBackwardTests().randomCase(preset: "mxint8", gradient: "mxfp8-e5m2", seed: 6)
        let cfg = t.cfg, c = cfg.channels, n = cfg.positions
        let model = ConventionalBatchNorm(config: cfg)
        let y = try model.values(t.x, gamma: t.gamma, beta: t.beta)
        let grads = try model.gradients(stored: t.x, gamma: t.gamma, dy: t.dy)
        let xq = try t.x.flatMap { try cfg.input.dequantize($0, to: .fp64) }.map(FloatFormat.fp64.toDouble)
        let gq = try t.dy.flatMap { try cfg.gradientInput.dequantize($0, to: .fp64) }.map(FloatFormat.fp64.toDouble)
        for ch in 0..<c {
            let x = (0..<n).map { xq[$0 * c + ch] }, g = (0..<n).map { gq[$0 * c + ch] }
            let gamma = f.toDouble(t.gamma[ch]), beta = f.toDouble(t.beta[ch])
            let mean = x.reduce(0, +) / Double(n)
            let variance = x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
            let s = 1 / (variance + 1e-5).squareRoot()
            let xhat = x.map { ($0 - mean) * s }
            let mg = g.reduce(0, +) / Double(n), mgx = zip(g, xhat).map { $0 * $1 }.reduce(0, +) / Double(n)
            let dxScale = (0..<n).map { abs(gamma * s * (g[$0] - mg - xhat[$0] * mgx)) }.max()!
            for p in 0..<n {
                let want = gamma * xhat[p] + beta
                #expect(abs(f.toDouble(y[p * c + ch]) - want) <= 1e-5 * (1 + abs(want)))
                let dx = gamma * s * (g[p] - mg - xhat[p] * mgx)
                #expect(abs(f.toDouble(grads.dx[p * c + ch]) - dx) <= 1e-5 * dxScale, "ch \(ch) p \(p)")
            }
            #expect(abs(f.toDouble(grads.dgamma[ch]) - mgx * Double(n)) <= 1e-5 * g.map(\.magnitude).reduce(0, +) * 4)
        }
    }
}
