import Golden
import Testing

/// The wide mode (docs/precision.md) is faithful: every output within 1 ulp of the exact
/// result, against `IterNormExactReference`, on the cancellation classes the default mode fails.
@Suite("IterNorm wide mode: faithful against an exact reference")
struct IterNormWideTests {
    /// A named input vector generator: `d` values (as Doubles, rounded to the format).
    struct VectorClass: Sendable, CustomTestStringConvertible {
        let name: String
        let d: Int
        let lanes: Int
        let sample: @Sendable (inout SeededRandom) -> Double
        var testDescription: String { "\(name) d=\(d)" }
    }

    static let classes: [VectorClass] = [
        VectorClass(name: "cancellation: mean 1e6, spread 1", d: 256, lanes: 8) { $0.nextNormal(mean: 1e6, stddev: 1) },
        VectorClass(name: "mean 100, spread 1", d: 768, lanes: 64) { $0.nextNormal(mean: 100, stddev: 1) },
        VectorClass(name: "N(0,1), d = d_max", d: 1024, lanes: 64) { $0.nextNormal() },
        VectorClass(name: "Student-t with outliers", d: 4096, lanes: 64) { rng in
            let base = rng.nextStudentT(nu: 3)
            return rng.next() % 200 == 0 ? base * 50 : base
        },
        VectorClass(name: "subnormal spread around a normal mean", d: 64, lanes: 8) { rng in
            0x1p-125 + rng.nextNormal() * 0x1p-140
        },
        VectorClass(name: "all subnormal", d: 64, lanes: 8) { rng in rng.nextNormal() * 0x1p-135 },
    ]

    /// Largest |z - exact| in output ulps over `trials` vectors of `vectorClass`.
    func maxUlpError(_ format: FloatFormat, _ mode: IterNormMode, _ vectorClass: VectorClass, trials: Int,
                     eps: Double = 0) throws -> Double {
        let config = try IterNormConfig(format: format, lanes: vectorClass.lanes, dMax: vectorClass.d, mode: mode,
                                        affine: false, eps: eps, wide: true)
        let model = IterNorm(config)
        var rng = SeededRandom(seed: 17)
        var worst = 0.0
        for _ in 0..<trials {
            let x = (0..<vectorClass.d).map { _ in format.fromDouble(vectorClass.sample(&rng)) }
            let z = try model.normalize(x: x)
            let exact = try #require(IterNormExactReference.normalize(x, format: format, mode: mode, eps: eps))
            for i in 0..<x.count {
                worst = max(worst, abs(format.toDouble(z[i]) - exact[i]) / format.ulp(at: exact[i]))
            }
        }
        return worst
    }

    @Test("FP32 LayerNorm and RMSNorm", arguments: classes)
    func fp32(_ vectorClass: VectorClass) throws {
        for mode in IterNormMode.allCases {
            let worst = try maxUlpError(.fp32, mode, vectorClass, trials: 4)
            #expect(worst <= 1, "\(mode) \(vectorClass.name): \(worst) ulp")
        }
    }

    /// BF16 and FP16 I/O: the subnormal classes are FP32 values, so they run in FP32 only, and
    /// 1e6 is beyond FP16's range.
    @Test("BF16 and FP16 LayerNorm and RMSNorm", arguments: classes.filter { !$0.name.contains("subnormal") })
    func narrow(_ vectorClass: VectorClass) throws {
        for format in [FloatFormat.bf16, .fp16] where !(format == .fp16 && vectorClass.name.contains("1e6")) {
            for mode in IterNormMode.allCases {
                let worst = try maxUlpError(format, mode, vectorClass, trials: 4)
                #expect(worst <= 1, "\(format) \(mode) \(vectorClass.name): \(worst) ulp")
            }
        }
    }

    @Test("with eps: the d^3 eps term of the centred-by-d squared norm")
    func withEps() throws {
        for mode in IterNormMode.allCases {
            let worst = try maxUlpError(.fp32, mode, Self.classes[1], trials: 2, eps: 0.25)
            #expect(worst <= 1, "\(mode): \(worst) ulp")
        }
    }

    /// The default mode fails the cancellation class by far: the test would catch a wide mode
    /// that silently fell back to it.
    @Test func defaultModeIsNotFaithfulOnCancellation() throws {
        let c = Self.classes[0]
        let config = try IterNormConfig(format: .fp32, lanes: c.lanes, dMax: c.d, affine: false)
        var rng = SeededRandom(seed: 17)
        let x = (0..<c.d).map { _ in FloatFormat.fp32.fromDouble(c.sample(&rng)) }
        let z = try IterNorm(config).normalize(x: x)
        let exact = try #require(IterNormExactReference.normalize(x, format: .fp32, mode: .layerNorm))
        let worst = (0..<c.d).map { abs(FloatFormat.fp32.toDouble(z[$0]) - exact[$0]) / FloatFormat.fp32.ulp(at: exact[$0]) }.max()!
        #expect(worst > 100)
    }

    /// Each seed entry starts its interval of u within 2^-5 (relative), so that K = 4 Newton
    /// steps reach 2^-70: `g sqrt(u) - 1` at both ends of every interval.
    @Test(arguments: [FloatFormat.fp32, .bf16])
    func seedTableStartsWithin2ToTheMinus5(_ format: FloatFormat) throws {
        let a = IterNormConfig.wideAccumulateFormat(format: format, lanes: 64, dMax: 1024, iterations: 5)
        let table = IterNormSeed.table(in: a)
        #expect(table.count == 2 << IterNormSeed.indexBits)
        for (index, entry) in table.enumerated() {
            let g = a.toDouble(entry.g)
            #expect(a.toDouble(entry.gSquared) == g * g)
            let odd = index >> IterNormSeed.indexBits == 1
            let scale = odd ? 0.5 : 1.0
            let lo = scale * (1 + Double(index & 7) / 8), hi = lo + scale / 8
            // s with exponent parity `odd` and those top fraction bits indexes this entry.
            let s = a.fromDouble(odd ? 2 * lo * 0x1p11 : lo * 0x1p10)
            #expect(IterNormSeed.index(of: s, in: a) == index)
            for u in [lo, hi] { #expect(abs(g * u.squareRoot() - 1) <= 0x1p-5, "entry \(index) u=\(u)") }
        }
    }

    @Test func configurationRules() throws {
        let c = try IterNormConfig(format: .fp32, lanes: 64, dMax: 1024, wide: true)
        // A: 23 + 4 + ceil(log2(21 / 2 + 2 * 5 + 6)); W: 23 + bitLength(1024) + 8.
        #expect(c.accumulate == FloatFormat(name: "e9f32", exponentBits: 9, fractionBits: 32))
        #expect(c.meanFormat == FloatFormat(name: "e9f42", exponentBits: 9, fractionBits: 42))
        #expect(c.centresByLength)
        #expect(throws: IterNormError.self) { try IterNormConfig(format: .fp32, accumulate: .fp32, wide: true) }
        #expect(throws: IterNormError.self) { try IterNormConfig(format: .fp32, form: .vector, wide: true) }
        // d x_i is exact in W for every legal d: precision >= format precision + bitLength(d).
        for d in [64, 1024, 1 << 20] {
            let w = IterNormConfig.wideMeanFormat(format: .fp32, dMax: d)
            #expect(w.precision >= 24 + (Int.bitWidth - d.leadingZeroBitCount) && w.width <= 64)
        }
        // A grows with the additions on the squared norm's longest path: d_max / P.
        #expect(IterNormConfig.wideAccumulateFormat(format: .fp32, lanes: 64, dMax: 12288, iterations: 5).fractionBits == 23 + 4 + 7)
        #expect(IterNormConfig.wideAccumulateFormat(format: .bf16, lanes: 8, dMax: 256, iterations: 5).fractionBits == 7 + 4 + 6)
    }
}
