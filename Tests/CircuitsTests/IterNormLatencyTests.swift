import Circuits
import Golden
import Testing

/// The macro's latency is derived from the registers its passes create (`IterNormSchedule`);
/// this is the closed formula it replaced, kept as an independent count of the same stages.
@Suite("IterNorm latency: derived schedule against the closed formula")
struct IterNormLatencyTests {
    /// Three passes of nb beats; two lane stages + tree + accumulator per pass; the mean and the
    /// pre-scale (2); 3K iteration stages; r meets the lane value, then * r (+ beta). The vector
    /// form runs K passes of the iteration engine instead of the 3K scalar stages, and an output
    /// front of V reads (gamma widened in a stage of its own) instead of x -> y'. The wide mode
    /// adds the seed stage to the iterations and, in LayerNorm, the exact sum's split (one more
    /// stage before pass 2) and the `* d`, the `- lo` and the rounding into A to pass 2's x -> y';
    /// its output pass reads the y' pass 2 stored.
    static func closedFormula(_ c: IterNormConfig, d: Int) -> Int {
        let nb = d / c.lanes, log2P = c.lanes.trailingZeroBitCount
        let ln = c.mode == .layerNorm ? 1 : 0, eps = c.eps != 0 ? 1 : 0, affine = c.affine ? 1 : 0
        let byD = c.wide && c.mode == .layerNorm ? 1 : 0
        let iterationStages = 3 * c.iterations + (c.wide ? 1 : 0)
        // Output-pass read address -> the lane value that meets r; the wide mode reads the stored y'
        // (then gamma widens in a stage of its own).
        let readLead = c.wide ? 1 + 2 * affine : 2 + ln + byD + affine
        let betaStage = (c.hasBeta ? 1 : 0) + (c.accumulate == c.format ? 0 : 1)
        let scalar = 3 * nb + 10 + 2 * log2P + ln + 4 * byD + eps + iterationStages + betaStage
            + max(0, readLead - iterationStages)
        guard c.form == .vector else { return scalar }
        let front = 2 + ln
        let pass = nb + log2P + front + 7 + eps
        let beforeOutput = 1 + (c.iterations - 1) * pass + 5 + front
        return scalar - max(0, 3 * c.iterations - readLead) + beforeOutput - (1 + ln) + affine
    }

    static let configs: [IterNormConfig] = {
        var configs: [IterNormConfig] = []
        for form in [IterNormForm.scalar, .vector] {
            for mode in [IterNormMode.layerNorm, .rmsNorm] {
                for affine in [false, true] {
                    for (format, accumulate) in [(FloatFormat.fp32, FloatFormat.fp32), (.bf16, .fp32), (.fp16, .fp16)] {
                        for (lanes, iterations, eps) in [(2, 1, 0.0), (4, 5, 1e-5), (8, 2, 1e-3), (16, 3, 0.0)] {
                            if let c = try? IterNormConfig(format: format, accumulate: accumulate, lanes: lanes,
                                                           dMax: lanes * 8, iterations: iterations, etaShift: 1,
                                                           form: form, mode: mode, affine: affine, eps: eps) {
                                configs.append(c)
                            }
                        }
                    }
                }
            }
        }
        // The wide mode (scalar form only).
        for mode in [IterNormMode.layerNorm, .rmsNorm] {
            for affine in [false, true] {
                for format in [FloatFormat.fp32, .bf16] {
                    for (lanes, iterations, eps) in [(2, 1, 0.0), (4, 5, 1e-5), (8, 2, 1e-3), (16, 3, 0.0)] {
                        configs.append(try! IterNormConfig(format: format, lanes: lanes, dMax: lanes * 8, iterations: iterations,
                                                           mode: mode, affine: affine, eps: eps, wide: true))
                    }
                }
            }
        }
        return configs
    }()

    @Test("every form, mode, affine, format, lane count, K and eps, and the wide mode; every legal d")
    func derivedEqualsClosedFormula() throws {
        #expect(Self.configs.count == 96 + 32)
        for c in Self.configs {
            let macro = try IterNormMacro(c)
            for d in c.legalD {
                #expect(macro.latency(d: d) == Self.closedFormula(c, d: d), "\(c) d=\(d)")
            }
        }
    }
}
