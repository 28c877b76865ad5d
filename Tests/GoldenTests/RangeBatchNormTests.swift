import Foundation
import Testing
import Golden

@Suite struct RangeBatchNormTests {
    let f = FloatFormat.fp32

    func value(_ bits: UInt64) -> Double { f.toDouble(bits) }

    /// Blocks of g channels at each position from an FP32 tensor (position-major).
    func blocks(_ x: [Float], _ format: BFPFormat) throws -> [BFPBlock] {
        var q = try BFPQuantizer(format: format, source: .fp32)
        return try q.quantize(stream: x.map(BFPNative.fp32))
    }

    @Test func constantCByHand() {
        // n/K = 8: 2 ln 8 = 4.158883, sqrt = 2.039334, C = 0.490356. n/K = 2: 1/sqrt(2 ln 2) = 0.849322.
        #expect(abs(value(RangeBatchNorm.constantC(positions: 64, chunks: 8)) - 0.490356) < 1e-6)
        #expect(abs(value(RangeBatchNorm.constantC(positions: 4, chunks: 2)) - 0.849322) < 1e-6)
    }

    @Test func newtonReciprocalIsWithinTwoUlps() {
        var rng = SeededRandom(seed: 31)
        for _ in 0..<20000 {
            let bits = UInt64(UInt32.random(in: 0x0080_0000...0x7E7F_FFFF, using: &rng))
            let d = value(bits)
            let c = value(RangeBatchNorm.reciprocal(bits, steps: 5))
            #expect(abs(c * d - 1) <= 0x1p-22, "1/\(d) = \(c)")
        }
        // Powers of two: the seed error 1/4 squares to below half an ulp and lands exactly.
        for e in [-100, -1, 0, 1, 50] {
            let d = f.fromDouble(pow2(e))
            #expect(RangeBatchNorm.reciprocal(d, steps: 5) == f.fromDouble(pow2(-e)))
        }
        #expect(RangeBatchNorm.reciprocal(0, steps: 5) == 0x7F80_0000)
        #expect(RangeBatchNorm.reciprocal(0xFF80_0000, steps: 5) == 0x8000_0000)
        #expect(f.isNaN(RangeBatchNorm.reciprocal(0x7FC0_0000, steps: 5)))
        #expect(value(RangeBatchNorm.reciprocal(f.fromDouble(-4), steps: 5)) == -0.25)
    }

    @Test func handWorkedExample() throws {
        // 2 channels in one MXINT8-style block of 2, n = 4, K = 2 chunks of 2, eps 0, gamma 1, beta 0.
        // Channel 0: 1, 0.5, -0.5, 0.25 -> mean 0.3125; chunk ranges 0.5, 0.75 -> R 0.625;
        // C = 1/sqrt(2 ln 2) = 0.8493218; scale = 1/(0.625 C) = 1.883856; y(1) = 0.6875 * 1.883856.
        // Channel 1: all 0.75 -> R 0, d = 0 -> scale +inf, y = 0 * inf = NaN.
        let fmt = try BFPFormat(blockSize: 2, element: .int(magnitudeBits: 7))
        let cfg = try RangeBatchNormConfig(channels: 2, positions: 4, chunks: 2, input: fmt, output: fmt, eps: 0)
        let x: [Float] = [1, 0.75, 0.5, 0.75, -0.5, 0.75, 0.25, 0.75]
        let one = f.fromDouble(1)
        let (y, stats) = try RangeBatchNorm(config: cfg).normalize(try blocks(x, fmt), gamma: [one, one], beta: [0, 0])
        #expect(value(stats[0].mean) == 0.3125 && value(stats[0].range) == 0.625)
        #expect(abs(value(stats[0].scale) - 1.883856) < 1e-6)
        #expect(abs(value(y[0]) - 0.6875 * 1.883856) < 1e-6)
        #expect(abs(value(y[4]) - (-0.8125 * 1.883856)) < 1e-6)
        #expect(value(stats[1].range) == 0 && f.isInfinite(stats[1].scale) && f.isNaN(y[1]))
    }

    @Test func agreesWithDoubleFormula() throws {
        // Random activations N(mu, sigma) per channel; every output within 1e-5 (relative to the
        // normalized magnitude) of the Double formula on the same dequantized inputs.
        var rng = SeededRandom(seed: 5)
        for preset in ["mxint8", "mxfp8-e4m3", "hbfp8"] {
            let fmt = try BFPFormat.preset(named: preset)
            let cfg = try RangeBatchNormConfig(channels: fmt.blockSize * 2, positions: 256, chunks: 8,
                                               input: fmt, output: fmt)
            let c = cfg.channels
            let mus = (0..<c).map { _ in rng.nextNormal() * 4 }
            let sigmas = (0..<c).map { _ in exp(rng.nextNormal()) }
            let x = (0..<(cfg.positions * c)).map { i in Float(rng.nextNormal(mean: mus[i % c], stddev: sigmas[i % c])) }
            let gamma = (0..<c).map { _ in f.fromDouble(1 + 0.1 * rng.nextNormal()) }
            let beta = (0..<c).map { _ in f.fromDouble(0.1 * rng.nextNormal()) }
            let inBlocks = try blocks(x, fmt)
            let (y, _) = try RangeBatchNorm(config: cfg).normalize(inBlocks, gamma: gamma, beta: beta)
            let xq = try inBlocks.flatMap { try fmt.dequantize($0, to: .fp32) }.map(value)
            let cn = 1 / (2 * log(Double(cfg.chunkSize))).squareRoot()
            for ch in 0..<c {
                let col = (0..<cfg.positions).map { xq[$0 * c + ch] }
                let mean = col.reduce(0, +) / Double(cfg.positions)
                let r = (0..<cfg.chunks).map { j -> Double in
                    let chunk = col[(j * cfg.chunkSize)..<((j + 1) * cfg.chunkSize)]
                    return chunk.max()! - chunk.min()!
                }.reduce(0, +) / Double(cfg.chunks)
                let scale = 1 / (r * cn + 1e-5)
                for p in 0..<cfg.positions {
                    let want = (col[p] - mean) * scale * value(gamma[ch]) + value(beta[ch])
                    #expect(abs(value(y[p * c + ch]) - want) <= 1e-5 * (1 + abs(want)), "\(preset) ch \(ch) p \(p)")
                }
            }
        }
    }

    @Test func nanBlockPoisonsItsChannels() throws {
        let fmt = try BFPFormat.preset(named: "mxfp8-e4m3")
        let cfg = try RangeBatchNormConfig(channels: 64, positions: 16, chunks: 4, input: fmt, output: fmt)
        var x = [Float](repeating: 1, count: 64 * 16)
        for i in x.indices { x[i] = Float(i % 7) }
        x[5 * 64 + 40] = .nan  // position 5, second block of channels
        let one = f.fromDouble(1)
        let out = try RangeBatchNorm(config: cfg).forward(try blocks(x, fmt), gamma: Array(repeating: one, count: 64),
                                                          beta: Array(repeating: 0, count: 64))
        for p in 0..<16 {
            #expect(!out.blocks[p * 2].isNaN)
            #expect(out.blocks[p * 2 + 1].isNaN)
        }
    }

    @Test func badShapesAreErrors() throws {
        let fmt = try BFPFormat.preset(named: "mxint8")
        #expect(throws: RangeBatchNormError.self) {
            try RangeBatchNormConfig(channels: 48, positions: 64, input: fmt, output: fmt)
        }
        #expect(throws: RangeBatchNormError.self) {
            try RangeBatchNormConfig(channels: 32, positions: 8, chunks: 8, input: fmt, output: fmt)
        }
        #expect(throws: RangeBatchNormError.self) {
            try RangeBatchNormConfig(channels: 32, positions: 64, input: fmt,
                                     output: try BFPFormat.preset(named: "hbfp8"))
        }
        let cfg = try RangeBatchNormConfig(channels: 32, positions: 16, chunks: 2, input: fmt, output: fmt)
        #expect(throws: RangeBatchNormError.self) {
            try RangeBatchNorm(config: cfg).forward([], gamma: [], beta: [])
        }
    }
}
