import Golden
import HDL

extension FloatUnits {
    /// `a * 2^k` rounded once to nearest even in `target`'s format: a scaling and a format
    /// conversion fused, with one rounding. When `target` holds every value of this format
    /// (bf16 -> fp32) it equals `target.scaleB(convert(a, to: target), k)`; when this format has
    /// the wider exponent range and the same precision (fp32 with 9 exponent bits -> fp32) it
    /// equals `convert(scaleB(a, k), to: target)` (a value this format rounds as subnormal is far
    /// below half of `target`'s smallest subnormal, so the first rounding never matters). NaN
    /// gives `target`'s canonical NaN; zeros and infinities keep their sign. `k` is read as
    /// signed when it is a signed signal, as unsigned otherwise.
    ///
    /// Datapath: `target`'s `roundPack` of this format's significand with the exponent moved
    /// by `k` and re-biased: one adder and one rounding, the depth of `scaleB`. No internal cut
    /// point: every stage is an output register.
    public func scaleB(_ a: Signal, by k: Signal, to target: FloatUnits, pipeline: FPPipeline = .combinational) -> Signal {
        let x = FPOperand(a, format, name: "a")
        let to = target.format
        let shift = k.isSigned ? k : k.zext(to: k.width + 1).asSigned()
        let wide = max(max(format.exponentBits, to.exponentBits) + 2, shift.width) + 2
        // significand * 2^(field - bias - f + k): its top bit sits at field + k - bias + bias_T.
        let biasedTop = x.effectiveField.zext(to: wide).asSigned() &+ shift.sext(to: wide) &+ (to.bias - format.bias)
        let rounded = target.roundPack(sign: x.sign, significand: x.significand, biasedTop: biasedTop)
        let result = mux(x.isNaN, to.canonicalNaNSignal,
                         mux(x.isInfinite, to.infinitySignal(sign: x.sign),
                             mux(x.isZero, to.zeroSignal(sign: x.sign), rounded)))
        return pipeline.output(result)
    }

    /// `FPScaleB_<tag>_to_<target tag>_k<kWidth>_s<stages>`: `y = a * 2^k` rounded once to
    /// `target` (see `scaleB(_:by:to:pipeline:)`), a signed `kWidth`-bit input `k`, `y` in the
    /// target's width.
    public func scaleBModule(kWidth: Int, to target: FloatUnits, stages: Int = 0) throws(FPUnitError) -> Module {
        guard kWidth >= 2 else { throw FPUnitError("scaleB needs a signed k of at least 2 bits, got \(kWidth)") }
        return try FPUnitModule.make(moduleName("ScaleB", stages: stages, suffix: "_to_\(target.tag)_k\(kWidth)"),
                                     stages: stages, inputs: [("a", .bits(width)), ("k", .sint(kWidth))]) { ports, pipeline in
            [("y", scaleB(ports[0], by: ports[1], to: target, pipeline: pipeline))]
        }
    }
}
