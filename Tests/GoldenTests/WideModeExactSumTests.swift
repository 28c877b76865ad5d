import Golden
import Testing

/// The wide LayerNorm sums exactly (`LongAccumulator`) and centres by `d x_i - hi - lo`
/// (docs/precision.md, "The sum"): no input class depends on the sum being exact in a float
/// format any more. These are the classes that broke the 42-bit sum before (issue 27): two
/// opposite outliers far above a body near their mean, elements exactly on the mean, the whole
/// exponent range at once; every output must be within 1 ulp of the exact result.
@Suite("wide mode: the exact sum, on the inputs that broke the rounded one")
struct WideModeExactSumTests {
    /// +-`outlier` at both ends (so that the accumulator carries the outlier's magnitude across
    /// beats) and a body of N(0,1) * `body` values elsewhere.
    static func outliersOverBody(_ f: FloatFormat, d: Int, outlier: Double, body: Double, seed: UInt64) -> [UInt64] {
        var rng = SeededRandom(seed: seed)
        var x = (0..<d).map { _ in f.fromDouble(rng.nextNormal() * body) }
        x[0] = f.fromDouble(outlier)
        x[d - 1] = f.fromDouble(-outlier)
        return x
    }

    /// The body of `outliersOverBody` with every element but one set so that the vector's mean is
    /// exactly one of its elements: `x[1]` (the exact output there is 0).
    static func elementOnTheMean(_ f: FloatFormat, d: Int, outlier: Double, body: Double, seed: UInt64) -> [UInt64] {
        var x = outliersOverBody(f, d: d, outlier: outlier, body: body, seed: seed)
        let v = f.toDouble(x[1])
        for i in 2..<(d - 1) { x[i] = f.fromDouble(i % 2 == 0 ? v + body : v - body) }
        x[d - 2] = x[1]
        if (d - 3) % 2 == 1 { x[d - 3] = x[1] }
        return x
    }

    /// Every output's error in ulps of the exact result (`ReferenceNorm`, exact centring).
    func worstUlps(_ config: IterNormConfig, _ x: [UInt64], gamma: [UInt64]? = nil) throws -> Double {
        let f = config.format
        let z = try IterNorm(config).normalize(x: x, gamma: gamma, beta: gamma.map { _ in [UInt64](repeating: 0, count: x.count) })
        let exact = ReferenceNorm.normalize(x.map(f.toDouble), mode: config.mode, gamma: gamma?.map(f.toDouble),
                                            eps: config.eps)
        return (0..<x.count).map { abs(f.toDouble(z[$0]) - exact[$0]) / f.ulp(at: exact[$0]) }.max() ?? 0
    }

    @Test func formats() throws {
        #expect(IterNormConfig.wideMeanFormat(format: .fp32, dMax: 1024).name == "e9f42")
        #expect(IterNormConfig.wideMeanFormat(format: .fp16, dMax: 1024).name == "e9f29")
        // FP32: 2^-149 ... 2^128 is 277 bits, 1024 terms 11 more, and a sign.
        #expect(try IterNormConfig(format: .fp32, dMax: 1024, wide: true).exactSumWidth == 289)
        #expect(try IterNormConfig(format: .bf16, dMax: 16384, wide: true).exactSumWidth == 261 + 15 + 1)
    }

    static let lengths = [768, 1024, 1536, 3072]

    @Test("outliers 2^25 above the body", arguments: [FloatFormat.fp32, .bf16, .fp16], lengths)
    func outliers(format f: FloatFormat, d: Int) throws {
        let config = try IterNormConfig(format: f, lanes: 64, dMax: d, affine: false, wide: true)
        let (outlier, body) = f == .fp16 ? (0x1p15, 0x1p-10) : (0x1p20, 0x1p-5)
        for seed in UInt64(1)...2 {
            let x = Self.outliersOverBody(f, d: d, outlier: outlier, body: body, seed: seed)
            #expect(try worstUlps(config, x) <= 1)
            let onMean = Self.elementOnTheMean(f, d: d, outlier: outlier, body: body, seed: seed)
            #expect(try worstUlps(config, onMean) <= 1)
        }
    }

    /// The largest finite values over subnormals: the exact sum's whole width at once.
    @Test("the whole exponent range", arguments: [FloatFormat.fp32, .bf16, .fp16])
    func wholeRange(format f: FloatFormat) throws {
        let d = 1024
        let config = try IterNormConfig(format: f, lanes: 64, dMax: d, affine: false, wide: true)
        let smallest = f.toDouble(1), largest = f.toDouble(f.maxFinite(sign: false))
        for seed in UInt64(1)...3 {
            var rng = SeededRandom(seed: seed)
            var x = (0..<d).map { _ in f.encode(sign: rng.next() & 1 == 0, exponentField: 0, fractionField: rng.next() & f.fractionMask) }
            x[3] = f.fromDouble(largest)
            x[d - 5] = f.fromDouble(-largest)
            x[7] = f.fromDouble(smallest * 3)
            #expect(try worstUlps(config, x) <= 1)
        }
    }

    /// eps, gamma and RMSNorm on the same inputs.
    @Test("with eps, with gamma, RMSNorm", arguments: [FloatFormat.fp32, .bf16])
    func variants(format f: FloatFormat) throws {
        let d = 1536
        let x = Self.elementOnTheMean(f, d: d, outlier: 0x1p20, body: 0x1p-5, seed: 3)
        var rng = SeededRandom(seed: 9)
        let gamma = (0..<d).map { _ in f.fromDouble(0.5 + rng.nextUnit()) }
        let eps = try IterNormConfig(format: f, lanes: 64, dMax: d, affine: false, eps: 1e-5, wide: true)
        let affine = try IterNormConfig(format: f, lanes: 64, dMax: d, wide: true)
        let rms = try IterNormConfig(format: f, lanes: 64, dMax: d, mode: .rmsNorm, affine: false, wide: true)
        #expect(try worstUlps(eps, x) <= 1)
        #expect(try worstUlps(affine, x, gamma: gamma) <= 1)
        #expect(try worstUlps(rms, x) <= 1)
    }

    /// `hi + lo` against Shewchuk's exact expansion (independent of the integer accumulator):
    /// `hi` is the sum rounded to nearest, and `lo` the rest rounded.
    @Test("LongAccumulator.split against ExactSum", arguments: [FloatFormat.fp32, .bf16, .fp16])
    func splitAgainstExpansion(format f: FloatFormat) {
        let w = IterNormConfig.wideMeanFormat(format: f, dMax: 1024)
        var rng = SeededRandom(seed: 5)
        for trial in 0..<300 {
            let n = 1 + Int(rng.next() % 1024)
            let x: [UInt64] = (0..<n).map { i in
                if trial % 3 == 0, i < 2 { return f.fromDouble((i == 0 ? 1 : -1) * (f == .fp16 ? 0x1p15 : 0x1p20)) }
                return f.encode(sign: rng.next() & 1 == 0, exponentField: rng.next() % f.maxExponentField,
                                fractionField: rng.next() & f.fractionMask)
            }
            var acc = LongAccumulator(format: f, terms: n)
            for v in x { acc.add(v) }
            let (hi, lo) = acc.split(into: w)
            var rest = ExactSum(x.map(f.toDouble))
            rest.add(-w.toDouble(hi))
            // |sum - hi| <= ulp(hi) / 2 and lo = RN(sum - hi): after lo, at most ulp(lo) / 2 is left.
            #expect(abs(rest.value) <= w.ulp(at: w.toDouble(hi)) / 2, "trial \(trial)")
            rest.add(-w.toDouble(lo))
            // `value` rounds the expansion to binary64: allow that rounding on top.
            #expect(abs(rest.value) <= w.ulp(at: w.toDouble(lo)) / 2 * (1 + 0x1p-8), "trial \(trial)")
            #expect(acc.isZero == (hi == 0))
        }
    }

    /// A short adversarial search finds nothing above 1 ulp in either mode, and its worst vector
    /// replays to the reported error.
    @Test func shortSearch() async throws {
        func result(_ f: FloatFormat, _ mode: IterNormMode) async throws -> (PrecisionSearch, PrecisionSearch.Result) {
            let config = try IterNormConfig(format: f, lanes: 16, dMax: 256, mode: mode, affine: false, wide: true)
            let search = try PrecisionSearch(config: config, d: 256, evaluations: 3000, seed: 2)
            return (search, try await search.run())
        }
        let (search, ln) = try await result(.fp32, .layerNorm)
        let (_, bf16) = try await result(.bf16, .layerNorm)
        #expect(ln.worstUlpError <= 1 && bf16.worstUlpError <= 1, "\(ln.worstUlpError) \(bf16.worstUlpError)")
        #expect(ln.evaluations == 3000 && ln.chains.count == PrecisionSearch.startClasses.count)
        let chain = try #require(ln.chains.first { $0.x != nil })
        #expect(ln.chains.filter { $0.x != nil }.count == 1 && chain.worstUlpError == ln.worstUlpError)
        let x = try #require(chain.x).map { UInt64($0, radix: 16)! }
        #expect(try search.error(of: x).ulps == ln.worstUlpError)
        #expect(ln.worstUlpError > 0.25, "the search climbs above a typical rounding error")
    }

    @Test func searchRejectsBadParameters() throws {
        let affine = try IterNormConfig(format: .fp32, lanes: 16, dMax: 256, wide: true)
        #expect(throws: IterNormError.self) { try PrecisionSearch(config: affine, d: 256, evaluations: 100, seed: 1) }
        let plain = try IterNormConfig(format: .fp32, lanes: 16, dMax: 256, affine: false, wide: true)
        #expect(throws: IterNormError.self) { try PrecisionSearch(config: plain, d: 100, evaluations: 100, seed: 1) }
        #expect(throws: IterNormError.self) { try PrecisionSearch(config: plain, d: 256, evaluations: 3, seed: 1) }
    }
}
