import Golden
import HDL

extension FloatUnits {
    /// `a` converted to `target`'s format, rounded once to nearest even:
    /// `FloatFormat.convert(_:to:)`. Exact when the target holds every value of this format
    /// (bf16/fp16 -> fp32 -> fp32 with 9 exponent bits); otherwise subnormal results, rounding
    /// and overflow to infinity follow the target. NaN gives the target's canonical NaN,
    /// infinities and zeros keep their sign.
    ///
    /// Datapath: `roundPack` in the target format of the source significand, its exponent
    /// re-biased. No internal cut point: every stage is an output register.
    public func convert(_ a: Signal, to target: FloatUnits, pipeline: FPPipeline = .combinational) -> Signal {
        let x = FPOperand(a, format, name: "a")
        let to = target.format
        let result: Signal
        if to.exponentBits == format.exponentBits && to.fractionBits == format.fractionBits {
            result = mux(x.isNaN, to.canonicalNaNSignal, a)
        } else {
            let wide = max(format.exponentBits, to.exponentBits) + 3
            // significand * 2^(field - bias - f): its top bit (f) sits at field - bias + bias_T.
            let biasedTop = x.effectiveField.zext(to: wide).asSigned() &+ (to.bias - format.bias)
            // A widening conversion never rounds: no coverage points that cannot be hit.
            let widening = to.exponentBits >= format.exponentBits && to.fractionBits >= format.fractionBits
            let rounded = target.roundPack(sign: x.sign, significand: x.significand, biasedTop: biasedTop,
                                           coverRounding: !widening)
            result = mux(x.isNaN, to.canonicalNaNSignal,
                         mux(x.isInfinite, to.infinitySignal(sign: x.sign),
                             mux(x.isZero, to.zeroSignal(sign: x.sign), rounded)))
        }
        return pipeline.output(result)
    }
}
