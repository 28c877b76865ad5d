import Golden
import HDL

extension FloatUnits {
    /// `a * 2^k` for a runtime integer `k`, rounded once to nearest even: `FloatFormat.scaleB`.
    /// Exact unless the result is subnormal or overflows; zeros and infinities pass unchanged,
    /// NaN gives the canonical NaN. `k` is read as signed when it is a signed signal, as
    /// unsigned otherwise; any width works (the exponent arithmetic widens to fit).
    ///
    /// Datapath: `roundPack` of the operand's own significand with its exponent moved by `k`
    /// (the leading-zero count normalizes a subnormal operand, the right shift denormalizes a
    /// subnormal result). No internal cut point: every stage is an output register.
    public func scaleB(_ a: Signal, by k: Signal, pipeline: FPPipeline = .combinational) -> Signal {
        let x = FPOperand(a, format, name: "a")
        let e = format.exponentBits
        let shift = k.isSigned ? k : k.zext(to: k.width + 1).asSigned()
        let wide = max(e + 1, shift.width) + 2
        // significand * 2^(field - bias - f + k): its top bit (p - 1) sits at field + k.
        let biasedTop = x.effectiveField.zext(to: wide).asSigned() &+ shift.sext(to: wide)
        let rounded = roundPack(sign: x.sign, significand: x.significand, biasedTop: biasedTop)
        let passes = x.isZero || x.isInfinite
        let result = mux(x.isNaN, format.canonicalNaNSignal, mux(passes, a, rounded))
        return pipeline.output(result)
    }
}
