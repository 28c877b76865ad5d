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

    @Test(arguments: [2, 768, 4096])
    func fisrFP32MatchesNativeFloat(_ d: Int) {
        let x = Self.sample(d, seed: UInt64(d) + 1)
        var sum: Float = 0
        for v in x { sum += v }
        let mean = sum * (1 / Float(d))
        let y = x.map { $0 - mean }
        let emax = y.map { $0 == 0 ? Int.min : Int($0.exponent) }.max()!
        let scaled = y.map { Float(sign: .plus, exponent: -emax, significand: $0) }
        var s: Float = 0
        for v in scaled { s = s.addingProduct(v, v) }
        for steps in 1...3 {
            let r = Float(Double(d).squareRoot()) * nativeFISR(s, magic: 0x5F37_5A86, steps: steps)
            let expected = scaled.map { UInt64((r * $0).bitPattern) }
            let got = FISR.normalize(x.map { UInt64($0.bitPattern) }, format: .fp32, newtonSteps: steps)
            #expect(got == expected, "d \(d) steps \(steps)")
        }
    }

    @Test(arguments: [FloatFormat.fp32, .fp16, .bf16])
    func baselinesApproximateTheReference(_ f: FloatFormat) {
        var rng = SeededRandom(seed: 0xBA5E)
        let x = (0..<1024).map { _ in f.fromDouble(rng.nextNormal()) }
        let gamma = (0..<1024).map { _ in f.fromDouble(1 + 0.1 * rng.nextNormal()) }
        let beta = (0..<1024).map { _ in f.fromDouble(0.1 * rng.nextNormal()) }
        let reference = ReferenceNorm.normalize(x.map(f.toDouble), gamma: gamma.map(f.toDouble),
                                                beta: beta.map(f.toDouble), eps: 1e-5)
        let u = Double(sign: .plus, exponent: -f.precision, significand: 1)
        let naive = NaiveLayerNorm.normalize(x, format: f, gamma: gamma, beta: beta, eps: 1e-5)
        let fisr = FISR.normalize(x, format: f, newtonSteps: 3, gamma: gamma, beta: beta, eps: 1e-5)
        for (name, z) in [("naive", naive), ("fisr", fisr)] {
            let worst = zip(z, reference).map { abs(f.toDouble($0) - $1) }.max()!
            // |z| <= ~4.5 here; a handful of roundings of relative size u each.
            #expect(worst < 64 * u, "\(f) \(name): max abs error \(worst)")
        }
        // RMSNorm and the all-equal / NaN conventions.
        let constant = [UInt64](repeating: f.fromDouble(2), count: 8)
        #expect(FISR.normalize(constant, format: f, newtonSteps: 1) == [UInt64](repeating: 0, count: 8))
        #expect(FISR.normalize(constant, format: f, newtonSteps: 1, beta: gamma.prefix(8).map { $0 }) == Array(gamma.prefix(8)))
        #expect(FISR.normalize([f.invalidResult, 0], format: f, newtonSteps: 1).allSatisfy(f.isNaN))
        let rms = FISR.normalize(x, format: f, mode: .rmsNorm, newtonSteps: 3)
        let rmsReference = ReferenceNorm.normalize(x.map(f.toDouble), mode: .rmsNorm)
        #expect(zip(rms, rmsReference).map { abs(f.toDouble($0) - $1) }.max()! < 64 * u)
    }
}
