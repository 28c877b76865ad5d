import Golden
import Testing

// The precision engine on one small d: every method reported, the correctly rounded floor at
// <= 0.5 ulp, seeded runs reproducible, bad parameters rejected.

@Suite struct PrecisionTests {
    @Test func smallRunReportsEveryMethodReproducibly() async throws {
        let engine = try PrecisionEngine(format: .bf16, dims: [64, 768], distributions: [.normal, .heavyTailed],
                                         trials: 2, seed: 7)
        let report = try await engine.run()
        #expect(report.format == "bf16" && report.accumulate == "bf16" && report.trials == 2 && report.seed == 7)
        #expect(report.dims.map(\.d) == [64, 768] && report.dims.map(\.opt) == [false, true])
        #expect(report.optLengths == 1 && Set(report.iternormWinsVsFisr.keys) == ["1", "2", "3"])
        for dim in report.dims {
            #expect(Set(dim.methods.keys) == Set(engine.methodNames))
            let rounded = dim.methods["correctly_rounded"]!
            #expect(rounded.maxUlpError <= 0.5 && rounded.meanAbsError > 0)
            for (name, e) in dim.methods {
                #expect(e.meanAbsError.isFinite && e.meanAbsError <= e.maxAbsError, "\(name)")
                #expect(e.meanAbsError >= rounded.meanAbsError * 0.5, "\(name) cannot beat rounding by 2x")
            }
            // BF16: five Newton-quality iterations leave a few ulps; one iteration is far worse.
            #expect(dim.methods["iternorm_scalar_k5"]!.meanAbsError < dim.methods["iternorm_scalar_k1"]!.meanAbsError)
        }
        let again = try await engine.run()
        #expect(again == report)
    }

    @Test func badParametersAreRejected() {
        #expect(throws: IterNormError.self) { try PrecisionEngine(format: .fp32, dims: [100]) }
        #expect(throws: IterNormError.self) { try PrecisionEngine(format: .fp32, trials: 0) }
        #expect(throws: IterNormError.self) { try PrecisionEngine(format: .fp32, fisrSteps: [9]) }
        // FP16 arithmetic cannot hold the squared norm of the OPT lengths: the default is FP32.
        #expect((try? PrecisionEngine(format: .fp16))?.accumulate == .fp32)
        #expect(throws: IterNormError.self) { try PrecisionEngine(format: .fp16, accumulate: .fp16) }
    }

    @Test func distributionsHaveTheirShape() {
        var rng = SeededRandom(seed: 3)
        let shifted = PrecisionDistribution.shifted.sample(10_000, &rng)
        let mean = shifted.reduce(0, +) / 10_000
        #expect(abs(mean - 100) < 0.1)
        let heavy = PrecisionDistribution.heavyTailed.sample(10_000, &rng)
        #expect(heavy.map(abs).max()! > 20)  // outliers present
        let normal = PrecisionDistribution.normal.sample(10_000, &rng)
        let variance = normal.map { $0 * $0 }.reduce(0, +) / 10_000
        #expect(abs(variance - 1) < 0.05)
    }
}
