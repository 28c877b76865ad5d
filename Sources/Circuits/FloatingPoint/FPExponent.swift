import Golden
import HDL

extension FloatUnits {
    /// `E(a) = floor(log2 |a|)` of a finite nonzero `a`, subnormals normalized by a leading-zero
    /// count (`FloatFormat.unbiasedExponent`), as a signed integer of `exponentWidth` bits;
    /// 0 for zeros, infinities and NaNs (`classify` tells them apart).
    public func exponent(_ a: Signal, pipeline: FPPipeline = .combinational) -> Signal {
        let x = FPOperand(a, format, name: "a")
        let w = exponentWidth
        // Normal: field - bias. Subnormal: the top set bit of the fraction, f - 1 - lz, at
        // emin - f, so E = -bias - lz.
        let normal = x.field.zext(to: w).asSigned() &- format.bias
        let subnormal = Const(-format.bias, .sint(w)) &- leadingZeros(x.fraction).zext(to: w).asSigned()
        let value = mux(x.isSubnormal, subnormal, mux(x.isZero || x.isInfinite || x.isNaN, Const(0, .sint(w)), normal))
        return pipeline.output(value)
    }
}
