import Golden
import Testing

// The FP64 reference against hand-derived values, and the in-format baselines against native
// Float transcriptions of the same pipelines (FP32, bit for bit).

@Suite struct BaselineNormTests {
    @Test func referenceLayerNormHandExample() {
        // x = 1..4: mean 2.5, y = (-1.5, -0.5, 0.5, 1.5), var = 1.25.
        let z = ReferenceNorm.normalize([1, 2, 3, 4])
        let sigma = 1.25.squareRoot()
        for (zi, yi) in zip(z, [-1.5, -0.5, 0.5, 1.5]) { #expect(abs(zi - yi / sigma) < 1e-15) }
        // gamma/beta and eps: var + eps = 2 under the root, like PyTorch.
        let affine = ReferenceNorm.normalize([1, 2, 3, 4], gamma: [2, 2, 2, 2], beta: [1, 0, 0, 0], eps: 0.75)
        #expect(abs(affine[0] - (2 * -1.5 / 2.squareRoot() + 1)) < 1e-15)
        #expect(abs(affine[3] - 2 * 1.5 / 2.squareRoot()) < 1e-15)
        // RMSNorm: x / sqrt(mean(x^2)); mean(x^2) of (3, 4) is 12.5.
        let rms = ReferenceNorm.normalize([3, 4], mode: .rmsNorm)
        #expect(abs(rms[0] - 3 / 12.5.squareRoot()) < 1e-15 && abs(rms[1] - 4 / 12.5.squareRoot()) < 1e-15)
    }

    @Test func referenceEdgeCases() {
        #expect(ReferenceNorm.normalize([5, 5, 5]) == [0, 0, 0])
        #expect(ReferenceNorm.normalize([5, 5], beta: [1, 2]) == [1, 2])
        #expect(ReferenceNorm.normalize([1, .nan, 3]).allSatisfy { $0.isNaN })
        #expect(ReferenceNorm.normalize([1, .infinity]).allSatisfy { $0.isNaN })
        // Huge and tiny inputs do not overflow or underflow the sum of squares.
        let huge = ReferenceNorm.normalize([1e300, -1e300]), tiny = ReferenceNorm.normalize([0x1p-1070, -0x1p-1070])
        #expect(huge == [1, -1] && tiny == [1, -1])
    }

    static func sample(_ d: Int, seed: UInt64) -> [Float] {
        var rng = SeededRandom(seed: seed)
        return (0..<d).map { _ in Float(rng.nextNormal(mean: 3, stddev: 2)) }
    }

    @Test(arguments: [1, 7, 768, 4096])
    func naiveFP32MatchesNativeFloat(_ d: Int) {
        let x = Self.sample(d, seed: UInt64(d))
        var sum: Float = 0
        for v in x { sum += v }
        let mean = sum / Float(d)
        let y = x.map { $0 - mean }
        var s: Float = 0
        for v in y { s = s.addingProduct(v, v) }
        let sigma = (s / Float(d)).squareRoot()
        let expected = y.map { UInt64(($0 / sigma).bitPattern) }
        let got = NaiveLayerNorm.normalize(x.map { UInt64($0.bitPattern) }, format: .fp32)
        if d == 1 {
            #expect(got.allSatisfy { FloatFormat.fp32.isNaN($0) })  // 0/0: the naive formula's answer
        } else {
            #expect(got == expected)
        }
    }

    /// The 64-lane tree-then-accumulate sum of IterNorm's contract, in Float.
    static func treeSum(_ v: [Float], lanes: Int = 64) -> Float {
        var acc: Float = 0
        for chunk in 0..<(v.count / lanes) {
            var level = Array(v[(chunk * lanes)..<((chunk + 1) * lanes)])
            while level.count > 1 { level = (0..<(level.count / 2)).map { level[2 * $0] + level[2 * $0 + 1] } }
            acc = chunk == 0 ? level[0] : acc + level[0]
        }
        return acc
    }

    @Test(arguments: [64, 768, 4096])
    func fisrFP32MatchesNativeFloat(_ d: Int) throws {
        let x = Self.sample(d, seed: UInt64(d) + 1)
        // Inputs N(3, 2): no overflow or subnormals, so the mean format's extra exponent bit
        // changes nothing and Float reproduces every rounding.
        let tx = x.map { Int($0.exponent) }.max()!
        let mean = Self.treeSum(x) * (1 / Float(d))
        let meanScaled = Float(sign: .plus, exponent: -tx, significand: mean)
        let y = x.map { Float(sign: .plus, exponent: -tx, significand: $0) - meanScaled }
        let s = Self.treeSum(y.map { $0 * $0 })
        let config = try IterNormConfig(format: .fp32, lanes: 64, dMax: d, affine: false)
        for steps in 1...3 {
            let r = Float(d).squareRoot() * nativeFISR(s, magic: 0x5F37_5A86, steps: steps)
            let expected = y.map { UInt64(($0 * r).bitPattern) }
            let got = try FISR.normalize(x.map { UInt64($0.bitPattern) }, pipeline: config, newtonSteps: steps)
            #expect(got == expected, "d \(d) steps \(steps)")
        }
    }

    @Test(arguments: [FloatFormat.fp32, .fp16, .bf16])
    func baselinesApproximateTheReference(_ f: FloatFormat) throws {
        var rng = SeededRandom(seed: 0xBA5E)
        let x = (0..<1024).map { _ in f.fromDouble(rng.nextNormal()) }
        let gamma = (0..<1024).map { _ in f.fromDouble(1 + 0.1 * rng.nextNormal()) }
        let beta = (0..<1024).map { _ in f.fromDouble(0.1 * rng.nextNormal()) }
        let reference = ReferenceNorm.normalize(x.map(f.toDouble), gamma: gamma.map(f.toDouble),
                                                beta: beta.map(f.toDouble), eps: 1e-5)
        let u = Double(sign: .plus, exponent: -f.precision, significand: 1)
        let naive = NaiveLayerNorm.normalize(x, format: f, gamma: gamma, beta: beta, eps: 1e-5)
        let config = try IterNormConfig(format: f, lanes: 64, dMax: 1024, eps: 1e-5)
        let fisr = try FISR.normalize(x, pipeline: config, newtonSteps: 3, gamma: gamma, beta: beta)
        for (name, z) in [("naive", naive), ("fisr", fisr)] {
            let worst = zip(z, reference).map { abs(f.toDouble($0) - $1) }.max()!
            // |z| <= ~4.5 here; a handful of roundings of relative size u each.
            #expect(worst < 64 * u, "\(f) \(name): max abs error \(worst)")
        }
        // RMSNorm and the all-equal / NaN conventions.
        let small = try IterNormConfig(format: f, lanes: 8, dMax: 8, affine: false)
        let constant = [UInt64](repeating: f.fromDouble(2), count: 8)
        #expect(try FISR.normalize(constant, pipeline: small, newtonSteps: 1) == [UInt64](repeating: 0, count: 8))
        #expect(try FISR.normalize(constant, pipeline: small, newtonSteps: 1, beta: Array(gamma.prefix(8))) == Array(gamma.prefix(8)))
        let withNaN = [f.invalidResult] + [UInt64](repeating: 0, count: 7)
        #expect(try FISR.normalize(withNaN, pipeline: small, newtonSteps: 1).allSatisfy(f.isNaN))
        #expect(throws: IterNormError.self) { try FISR.normalize([0, 0], pipeline: small, newtonSteps: 1) }
        let rmsConfig = try IterNormConfig(format: f, lanes: 64, dMax: 1024, mode: .rmsNorm, affine: false)
        let rms = try FISR.normalize(x, pipeline: rmsConfig, newtonSteps: 3)
        let rmsReference = ReferenceNorm.normalize(x.map(f.toDouble), mode: .rmsNorm)
        #expect(zip(rms, rmsReference).map { abs(f.toDouble($0) - $1) }.max()! < 64 * u)
    }
}
