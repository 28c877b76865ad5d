import Golden
import Testing

/// Inputs that are all equal but for a few ulps (issue 27): an FP64 LayerNorm that rounds the mean
/// (numpy's `x - x.mean()`, and this reference before it centred exactly) is off by up to 25 FP32
/// ulps here at d = 12288, because the mean's rounding error `2^-53 |mean|` is all of `x_i - mean`.
/// The wide mode is faithful on them; these tests keep both facts checked.
@Suite("near-equal inputs: an exact reference, and the wide mode faithful on them")
struct NearEqualInputTests {
    static let lengths = [768, 1536, 3072, 6144, 12288]

    /// `c` everywhere but `count` elements raised by 1 or 2 ulps (encodings in `f`).
    static func nearEqual(_ f: FloatFormat, d: Int, c: Double, count: Int, seed: UInt64) -> [UInt64] {
        var rng = SeededRandom(seed: seed)
        var x = [UInt64](repeating: f.fromDouble(c), count: d)
        for _ in 0..<count { x[Int(rng.next() % UInt64(d))] += 1 + rng.next() % 2 }
        return x
    }

    /// One element `delta` above the others: z = sqrt(d - 1) there and -1/sqrt(d - 1) elsewhere,
    /// whatever the common value and `delta` (closed form, independent of any rounding).
    @Test("closed form: one element an ulp above d - 1 equal ones", arguments: lengths)
    func referenceMatchesClosedForm(d: Int) {
        let c = 1.2345678, bump = Double(Float(c).nextUp)
        var x = [Double](repeating: Double(Float(c)), count: d)
        x[d / 3] = bump
        let z = ReferenceNorm.normalize(x)
        let high = Double(d - 1).squareRoot(), low = -1 / high
        for i in 0..<d {
            let want = i == d / 3 ? high : low
            #expect(abs(z[i] - want) <= 4e-16 * abs(want), "i=\(i): \(z[i]) vs \(want)")
        }
    }

    @Test("the reference against the exact integer centring", arguments: lengths)
    func referenceMatchesExactCentring(d: Int) throws {
        let f = FloatFormat.fp32
        for seed in UInt64(1)...4 {
            let x = Self.nearEqual(f, d: d, c: 1.2345 * Double(seed), count: Int(seed), seed: seed)
            let exact = try #require(IterNormExactReference.normalize(x, format: f, mode: .layerNorm))
            let z = ReferenceNorm.normalize(x.map(f.toDouble))
            for i in 0..<d { #expect(abs(z[i] - exact[i]) <= 1e-14 * max(abs(exact[i]), 1e-3)) }
        }
    }

    /// The wide mode on the class issue 27 reported, at every length it named, in every format
    /// and both modes: within 1 ulp of the exact result (0.36-0.45 ulp measured in FP32).
    @Test("wide mode faithful on near-equal inputs", arguments: [FloatFormat.fp32, .bf16, .fp16])
    func wideModeIsFaithful(format f: FloatFormat) throws {
        for d in Self.lengths {
            for mode in IterNormMode.allCases {
                let config = try IterNormConfig(format: f, lanes: 64, dMax: d, mode: mode, affine: false, wide: true)
                let model = IterNorm(config)
                for count in [1, 3, 40] {
                    let x = Self.nearEqual(f, d: d, c: 1.2345, count: count, seed: UInt64(d + count))
                    let z = try model.normalize(x: x)
                    let exact = try #require(IterNormExactReference.normalize(x, format: f, mode: mode))
                    let worst = (0..<d).map { abs(f.toDouble(z[$0]) - exact[$0]) / f.ulp(at: exact[$0]) }.max() ?? 0
                    #expect(worst <= 1, "\(f) \(mode) d=\(d) \(count) raised: \(worst) ulp")
                }
            }
        }
    }
}
