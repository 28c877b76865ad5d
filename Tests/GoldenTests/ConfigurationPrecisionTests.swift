import Golden
import Testing

@Suite struct ConfigurationPrecisionTests {
    /// The ulp the error measure divides by is the native one: `Float.ulp`, `Float16.ulp`.
    @Test func ulpMatchesNativeTypes() {
        for v in [1.0, 1.5, 3.0e-3, 7.0e5, -2.5, 1.0e-40, 0.0] {
            #expect(FloatFormat.fp32.ulp(at: Double(Float(v))) == Double(Float(v).ulp), "\(v)")
        }
        #if arch(x86_64) || arch(arm64)
        for v in [1.0, 0.375, 1.0e-6, 6.0e4, -3.0] {
            #expect(FloatFormat.fp16.ulp(at: Double(Float16(v))) == Double(Float16(v).ulp), "\(v)")
        }
        #endif
    }

    /// FP32 LayerNorm and RMSNorm (K = 5): the correctly rounded floor is within half an ulp, the
    /// macro's configuration errs more but stays within a few ulps on average (~5e-8 absolute in
    /// the precision report) and never produces a NaN for finite inputs.
    @Test(arguments: [IterNormMode.layerNorm, .rmsNorm])
    func fp32ConfigurationIsNearTheFloor(_ mode: IterNormMode) throws {
        let config = try IterNormConfig(format: .fp32, lanes: 8, dMax: 64, mode: mode)
        let p = try ConfigurationPrecision.measure(config, d: 64, trials: 6, seed: 3)
        #expect(p.correctlyRounded.maxUlpError <= 0.5)
        #expect(p.iterNorm.meanAbsError >= p.correctlyRounded.meanAbsError)
        #expect(p.iterNorm.meanAbsError < 10 * p.correctlyRounded.meanAbsError)
        #expect(p.iterNorm.maxAbsError.isFinite && p.iterNorm.maxAbsError < 1e-5)
        // Seeded: the same figures again.
        #expect(try ConfigurationPrecision.measure(config, d: 64, trials: 6, seed: 3) == p)
    }

    /// Fewer iterations cannot be more precise at K = 1 than at K = 5 (the spec's error bound at
    /// K = 1 is 29 %), and an illegal d is an error, not a trap.
    @Test func iterationsAndBadInput() throws {
        let one = try ConfigurationPrecision.measure(try IterNormConfig(format: .bf16, lanes: 4, dMax: 32, iterations: 1),
                                                     d: 32, trials: 4, seed: 1)
        let five = try ConfigurationPrecision.measure(try IterNormConfig(format: .bf16, lanes: 4, dMax: 32),
                                                      d: 32, trials: 4, seed: 1)
        #expect(one.iterNorm.meanAbsError > 10 * five.iterNorm.meanAbsError)
        #expect(throws: IterNormError.self) {
            try ConfigurationPrecision.measure(try IterNormConfig(format: .bf16, lanes: 4, dMax: 32), d: 30, trials: 1, seed: 1)
        }
    }
}
