import Golden
import Testing

@Suite("IterNorm golden model")
struct IterNormTests {
    static let formats: [FloatFormat] = [.fp32, .fp16, .bf16]

    private func bits(_ f: FloatFormat, _ xs: [Double]) -> [UInt64] { xs.map { f.fromDouble($0) } }

    @Test("converges to an FP64 LayerNorm/RMSNorm within a few ulps at K = 5",
          arguments: formats, [IterNormForm.scalar, .vector])
    func convergesToFP64(format: FloatFormat, form: IterNormForm) throws {
        for mode in IterNormMode.allCases {
            let cfg = try IterNormConfig(format: format, lanes: 16, dMax: 1024, form: form, mode: mode)
            let norm = IterNorm(cfg), ref = IterNormFP64Reference(config: cfg)
            var stim = IterNormStimulus(cfg, seed: 7)
            for (i, d) in [16, 64, 256, 768, 1024].enumerated() {
                let v = stim.vector(IterNormStimulus.edgeKinds.count + i, d: d)
                let err = ref.error(try norm.normalize(x: v.x, gamma: v.gamma, beta: v.beta), v)
                // 16-bit formats accumulate in FP32: the result is rounded about once (plus the
                // final double rounding); FP32 carries K = 5 iteration and summation error.
                let bound = ref.bound(v, base: format == .fp32 ? 16 : 2)
                #expect(err <= bound, "\(cfg) d=\(d) \(v.kind): \(err) ulps (bound \(bound))")
            }
        }
    }

    @Test("the error of r shrinks with K as Newton's method does (eta = 1/2)")
    func newtonConvergence() throws {
        var previous = Double.infinity
        for k in 1...5 {
            let cfg = try IterNormConfig(format: .fp32, lanes: 1, dMax: 64, iterations: k, mode: .rmsNorm, affine: false)
            // x = (3, 0, ...): s = (3/2)^2 = 2.25, E = 1, e0 = 1, u0 = 0.5625: far from 1.
            var x = [Double](repeating: 0, count: 64)
            x[0] = 3
            let out = try IterNorm(cfg).normalize(x: bits(.fp32, x))
            let err = Swift.abs(FloatFormat.fp32.toDouble(out[0]) - 8) / 8   // sqrt(64) * 3/3
            #expect(err < previous || err <= 0x1p-23, "K=\(k): \(err)")
            previous = err
        }
        #expect(previous < 1e-6)
    }

    @Test("hand-derived: s' = 4 makes every iteration exact (m = 1)")
    func handExactExamples() throws {
        // RMSNorm of (1,1,1,1): Tx = 0, s' = 4, E = 2, e0 = 1, t = 4 * 2^-3 = 1/2, m = 1,
        // c = sqrt(4) * 2^-1 = 1: output exactly x.
        let rms = try IterNormConfig(format: .fp32, lanes: 2, dMax: 4, mode: .rmsNorm, affine: false)
        #expect(try IterNorm(rms).normalize(x: bits(.fp32, [1, 1, 1, 1])) == bits(.fp32, [1, 1, 1, 1]))
        // LayerNorm of (1,-1,1,-1) with gamma 2, beta 1/2: mean 0, same s', z = 2x + 1/2.
        let ln = try IterNormConfig(format: .bf16, lanes: 4, dMax: 4)
        let tr = try IterNorm(ln).trace(x: bits(.bf16, [1, -1, 1, -1]), gamma: bits(.bf16, [2, 2, 2, 2]),
                                        beta: bits(.bf16, [0.5, 0.5, 0.5, 0.5]))
        #expect(tr.output == bits(.bf16, [2.5, -1.5, 2.5, -1.5]))
        #expect(tr.e0 == 1 && tr.tx == 0)
        #expect(tr.etaU.allSatisfy { $0 == FloatFormat.fp32.fromDouble(0.5) })
    }

    @Test("hand-derived: LayerNorm of (3, 5) follows the documented trace")
    func handTraceExample() throws {
        let cfg = try IterNormConfig(format: .fp32, lanes: 1, dMax: 2, affine: false)
        let f = FloatFormat.fp32
        let tr = try IterNorm(cfg).trace(x: bits(f, [3, 5]))
        // mean (3 + 5) * fl(1/2) = 4; Tx = E(5) = 2; y' = (3/4 - 1, 5/4 - 1) = (-1/4, 1/4);
        // s' = 1/8, E = -3, e0 = -1, t = 1/8 * 2^(2 - 1) = 1/4 (u0 = 1/2).
        let w = cfg.meanFormat
        #expect(w.exponentBits == 9 && w.fractionBits == 23)
        #expect(tr.mean == w.fromDouble(4))
        #expect(tr.tx == 2 && tr.squaredNorm == f.fromDouble(0.125) && tr.e0 == -1)
        // The same recurrence in FP64 from t = 1/4, c = sqrt(2) * 2: r -> 4 = sqrt(2)/sqrt(1/8).
        var t = 0.25, c = 2.0.squareRoot() * 2
        for (k, got) in tr.etaU.enumerated() {
            let m = 1.5 - t
            c *= m
            t = t * m * m
            #expect(Swift.abs(f.toDouble(got) - t) <= 1e-6 * t, "iteration \(k + 1)")
        }
        #expect(Swift.abs(f.toDouble(tr.r) - c) <= 1e-6 * c)
        #expect(Swift.abs(c - 4) < 1e-6)
        let out = tr.output.map { f.toDouble($0) }
        #expect(Swift.abs(out[0] + 1) < 1e-6 && Swift.abs(out[1] - 1) < 1e-6)
    }

    @Test("the adder-tree shape fixes the rounding: lanes change the sum")
    func treeOrder() {
        let f = FloatFormat.fp32
        let v = [0x1p27, 1, -0x1p27, 1].map { f.fromDouble($0) }
        // Tree over 4 lanes: (2^27 + 1) + (-2^27 + 1) = 2^27 - 2^27 = 0 (each 1 is lost).
        #expect(f.treeAccumulate(v, lanes: 4) == f.fromDouble(0))
        // One lane: ((2^27 + 1) - 2^27) + 1 = 1.
        #expect(f.treeAccumulate(v, lanes: 1) == f.fromDouble(1))
        // Two lanes: chunk sums 2^27 and -2^27, accumulated: 0.
        #expect(f.treeAccumulate(v, lanes: 2) == f.fromDouble(0))
    }

    @Test("edge classes behave as the spec says", arguments: formats)
    func edges(format: FloatFormat) throws {
        for mode in IterNormMode.allCases {
            for form in IterNormForm.allCases {
                let cfg = try IterNormConfig(format: format, lanes: 64, dMax: 1024, form: form, mode: mode)
                let norm = IterNorm(cfg), ref = IterNormFP64Reference(config: cfg)
                var stim = IterNormStimulus(cfg, seed: 11)
                for kind in IterNormStimulus.edgeKinds {
                    let d = kind == .allEqual ? 768 : 256
                    let v = stim.edge(kind, d: d)
                    let tr = try norm.trace(x: v.x, gamma: v.gamma, beta: v.beta)
                    let label = "\(cfg) \(kind)"
                    switch kind {
                    case .nan, .inf:
                        #expect(tr.output.allSatisfy { $0 == format.canonicalNaN }, "\(label)")
                    case .zeros, .signedZeros:
                        #expect(tr.degenerate, "\(label)")
                        #expect(tr.output == (v.beta ?? [UInt64](repeating: 0, count: d)), "\(label)")
                    case .allEqual where mode == .layerNorm:
                        #expect(tr.output == v.beta, "\(label)")
                    default:
                        #expect(tr.output.allSatisfy { format.isFinite($0) }, "\(label)")
                        let bound = ref.bound(v, base: format == .fp32 ? 64 : 4)
                        #expect(ref.error(tr.output, v) <= bound, "\(label): \(ref.error(tr.output, v))")
                    }
                }
            }
        }
    }

    @Test("an all-equal FP32 vector yields beta even when its computed mean misses by an ulp")
    func allEqualMeanResidue() throws {
        let cfg = try IterNormConfig(format: .fp32, lanes: 64, dMax: 1024)
        let f = FloatFormat.fp32
        // A 24-bit significand: 768 v is not exact in the running accumulation.
        let v = f.fromDouble(1 + 0x1p-23 * 0x555555)
        let d = 768
        let gamma = [UInt64](repeating: f.fromDouble(1), count: d)
        let beta = (0..<d).map { f.fromDouble(Double($0) / 8) }
        let tr = try IterNorm(cfg).trace(x: [UInt64](repeating: v, count: d), gamma: gamma, beta: beta)
        #expect(tr.allEqual && tr.degenerate)
        #expect(tr.output == beta)
    }

    @Test("eps: matches FP64 LayerNorm with eps; a huge eps against a tiny spread gives beta")
    func epsilon() throws {
        let cfg = try IterNormConfig(format: .fp32, lanes: 8, dMax: 64, eps: 1e-5)
        let f = FloatFormat.fp32
        var stim = IterNormStimulus(cfg, seed: 3)
        let v = stim.vector(100, d: 64)
        let ref = IterNormFP64Reference(config: cfg)
        #expect(ref.error(try IterNorm(cfg).normalize(x: v.x, gamma: v.gamma, beta: v.beta), v) <= 16)
        // Spread 2^-100: d eps 2^200 overflows FP32, so s is infinite: the limit is beta.
        let tinyCfg = try IterNormConfig(format: .fp32, lanes: 8, dMax: 64, affine: true, eps: 1)
        let x = (0..<64).map { f.fromDouble(Double($0 % 3) * 0x1p-100) }
        let tr = try IterNorm(tinyCfg).trace(x: x, gamma: v.gamma, beta: v.beta)
        #expect(tr.degenerate && tr.output == v.beta)
    }

    @Test("eta = 1/4 converges linearly: K = 8 beats K = 2")
    func smallerEta() throws {
        var errors: [Double] = []
        for k in [2, 8] {
            let cfg = try IterNormConfig(format: .fp32, lanes: 16, dMax: 64, iterations: k, etaShift: 2, mode: .rmsNorm, affine: false)
            var stim = IterNormStimulus(cfg, seed: 5)
            let v = stim.vector(100, d: 64)
            errors.append(IterNormFP64Reference(config: cfg).error(try IterNorm(cfg).normalize(x: v.x), v))
        }
        #expect(errors[1] < errors[0] / 16)
    }

    @Test("invalid parameters are clear errors")
    func validation() throws {
        func message(_ body: () throws -> Void) -> String? {
            do { try body() } catch let error as IterNormError { return error.message } catch { return "\(error)" }
            return nil
        }
        #expect(message { _ = try IterNormConfig(lanes: 3) }?.contains("power of two") == true)
        #expect(message { _ = try IterNormConfig(lanes: 64, dMax: 100) }?.contains("multiple") == true)
        #expect(message { _ = try IterNormConfig(iterations: 0) }?.contains("iterations") == true)
        #expect(message { _ = try IterNormConfig(iterations: 9) }?.contains("iterations") == true)
        #expect(message { _ = try IterNormConfig(etaShift: 0) }?.contains("eta") == true)
        #expect(message { _ = try IterNormConfig(eps: -1) }?.contains("eps") == true)
        #expect(message { _ = try IterNormConfig(eps: .nan) }?.contains("eps") == true)
        #expect(message { _ = try IterNormConfig(format: .bf16, accumulate: .fp16) }?.contains("exactly") == true)
        #expect(message { _ = try IterNormConfig(format: .fp16, accumulate: .fp16, dMax: 2048) }?.contains("too large") == true)
        #expect(message { _ = try IterNormConfig(format: .e4m3) }?.contains("IEEE") == true)
        let cfg = try IterNormConfig(format: .fp32, lanes: 4, dMax: 16)
        let norm = IterNorm(cfg)
        let x = [UInt64](repeating: 0, count: 8), p = [UInt64](repeating: 0, count: 8)
        #expect(message { _ = try norm.normalize(x: [UInt64](repeating: 0, count: 6), gamma: p, beta: p) }?.contains("multiple") == true)
        #expect(message { _ = try norm.normalize(x: [UInt64](repeating: 0, count: 32), gamma: p, beta: p) }?.contains("multiple") == true)
        #expect(message { _ = try norm.normalize(x: x, beta: p) }?.contains("gamma is required") == true)
        #expect(message { _ = try norm.normalize(x: x, gamma: p, beta: [0]) }?.contains("beta has 1") == true)
        let rms = IterNorm(try IterNormConfig(format: .fp32, lanes: 4, dMax: 16, mode: .rmsNorm))
        #expect(message { _ = try rms.normalize(x: x, gamma: p, beta: p) }?.contains("beta is not") == true)
        #expect(try IterNormConfig(format: .fp16).accumulate == .fp32)
        #expect(try IterNormConfig(format: .fp16, accumulate: .fp16).meanFormat.exponentBits == 6)
    }
}
