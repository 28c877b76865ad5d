import Golden
import Testing

/// The wide LayerNorm's one assumption (docs/precision.md, "The sum"): its sum is exact. That
/// holds for every finite FP16 input (the guard covers FP16's whole range) and for FP32 and BF16
/// inputs within 2^8 of the largest; two opposite outliers far above a body of small values near
/// their mean break it in FP32 and BF16, which these tests keep on record, and not in FP16.
@Suite("wide mode: the exact-sum assumption, where it holds and where it does not")
struct WideModeSpreadTests {
    /// +-`outlier` in different chunks (so that the accumulator carries the outlier's magnitude
    /// across chunks) and a body of N(0,1) * `body` values elsewhere.
    static func outliersOverBody(_ f: FloatFormat, d: Int, outlier: Double, body: Double, seed: UInt64) -> [UInt64] {
        var rng = SeededRandom(seed: seed)
        var x = (0..<d).map { _ in f.fromDouble(rng.nextNormal() * body) }
        x[0] = f.fromDouble(outlier)
        x[d - 1] = f.fromDouble(-outlier)
        return x
    }

    func worstUlps(_ config: IterNormConfig, _ x: [UInt64]) throws -> Double {
        let f = config.format
        let z = try IterNorm(config).normalize(x: x)
        let exact = try #require(IterNormExactReference.normalize(x, format: f, mode: config.mode))
        return (0..<x.count).map { abs(f.toDouble(z[$0]) - exact[$0]) / f.ulp(at: exact[$0]) }.max() ?? 0
    }

    @Test func guardBitsPerFormat() {
        #expect(IterNormConfig.wholeRangeGuardBits(format: .fp16) == 29)
        #expect(IterNormConfig.wholeRangeGuardBits(format: .fp32) == 253)
        #expect(IterNormConfig.wideSumIsAlwaysExact(format: .fp16))
        #expect(!IterNormConfig.wideSumIsAlwaysExact(format: .fp32) && !IterNormConfig.wideSumIsAlwaysExact(format: .bf16))
        #expect(IterNormConfig.wideMeanFormat(format: .fp32, dMax: 1024).name == "e9f42")
        #expect(IterNormConfig.wideMeanFormat(format: .fp16, dMax: 1024).name == "e9f50")
    }

    /// FP16 outliers at 2^15 over a body at 2^-8: the sum spans 39 binades, exact with the guard.
    @Test("FP16: outliers over a fine body stay faithful", arguments: [768, 1024, 3008])
    func fp16OutliersAreFaithful(d: Int) throws {
        let config = try IterNormConfig(format: .fp16, lanes: 64, dMax: d, affine: false, wide: true)
        for seed in UInt64(1)...3 {
            let x = Self.outliersOverBody(.fp16, d: d, outlier: 0x1p15, body: 0x1p-8, seed: seed)
            #expect(try worstUlps(config, x) <= 1)
        }
    }

    /// Inputs within 2^8 of the largest: the sum is exact in FP32 and BF16 as well.
    @Test("FP32 and BF16: outliers within 2^8 of the body stay faithful", arguments: [FloatFormat.fp32, .bf16])
    func narrowSpreadIsFaithful(format f: FloatFormat) throws {
        let config = try IterNormConfig(format: f, lanes: 64, dMax: 1536, affine: false, wide: true)
        for seed in UInt64(1)...3 {
            // |body| > 2^-4 almost surely is not guaranteed for N(0,1): clamp it into [1/2, 4).
            var x = Self.outliersOverBody(f, d: 1536, outlier: 100, body: 1, seed: seed)
            for i in 1..<(x.count - 1) {
                let v = f.toDouble(x[i])
                x[i] = f.fromDouble((v < 0 ? -1 : 1) * min(max(abs(v), 0.5), 3.9))
            }
            #expect(try worstUlps(config, x) <= 1)
        }
    }

    /// The limit on record: FP32 outliers at 2^20 over a body at 2^-5 (25 binades below) put
    /// rounding errors of the 42-bit sum into every centred value; elements nearest the mean are
    /// then many ulps off (docs/precision.md gives the bound). A change that makes these
    /// faithful should update the documentation and this test.
    @Test("FP32 and BF16: outliers 2^25 above the body exceed 1 ulp", arguments: [FloatFormat.fp32, .bf16])
    func wideSpreadIsNotFaithful(format f: FloatFormat) throws {
        let config = try IterNormConfig(format: f, lanes: 64, dMax: 1024, affine: false, wide: true)
        let x = Self.outliersOverBody(f, d: 1024, outlier: 0x1p20, body: 0x1p-5, seed: 1)
        #expect(try worstUlps(config, x) > 1)
    }

    /// A short adversarial search where the assumption holds finds nothing above 1 ulp, and its
    /// worst vector replays to the reported error.
    @Test func shortSearch() async throws {
        func result(_ f: FloatFormat, _ mode: IterNormMode) async throws -> (PrecisionSearch, PrecisionSearch.Result) {
            let config = try IterNormConfig(format: f, lanes: 16, dMax: 256, mode: mode, affine: false, wide: true)
            let search = try PrecisionSearch(config: config, d: 256, evaluations: 3000, seed: 2)
            return (search, try await search.run())
        }
        let (search, rms) = try await result(.fp32, .rmsNorm)
        let (_, fp16) = try await result(.fp16, .layerNorm)
        #expect(rms.worstUlpError <= 1 && fp16.worstUlpError <= 1, "\(rms.worstUlpError) \(fp16.worstUlpError)")
        #expect(rms.evaluations == 3000 && rms.chains.count == PrecisionSearch.startClasses.count)
        let chain = try #require(rms.chains.first { $0.x != nil })
        #expect(rms.chains.filter { $0.x != nil }.count == 1 && chain.worstUlpError == rms.worstUlpError)
        let x = try #require(chain.x).map { UInt64($0, radix: 16)! }
        #expect(try search.error(of: x).ulps == rms.worstUlpError)
        #expect(rms.worstUlpError > 0.25, "the search climbs above a typical rounding error")
    }

    @Test func searchRejectsBadParameters() throws {
        let affine = try IterNormConfig(format: .fp32, lanes: 16, dMax: 256, wide: true)
        #expect(throws: IterNormError.self) { try PrecisionSearch(config: affine, d: 256, evaluations: 100, seed: 1) }
        let plain = try IterNormConfig(format: .fp32, lanes: 16, dMax: 256, affine: false, wide: true)
        #expect(throws: IterNormError.self) { try PrecisionSearch(config: plain, d: 100, evaluations: 100, seed: 1) }
        #expect(throws: IterNormError.self) { try PrecisionSearch(config: plain, d: 256, evaluations: 3, seed: 1) }
    }
}
