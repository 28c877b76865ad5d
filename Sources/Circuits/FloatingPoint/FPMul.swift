import Golden
import HDL

extension FloatUnits {
    /// `a * b` rounded to nearest even: `FloatFormat.mul`. `0 * inf` and NaN operands give the
    /// canonical NaN; a zero product keeps the sign `sign(a) xor sign(b)`.
    ///
    /// Datapath: the full `2 precision`-bit product of the significands (subnormals enter
    /// unnormalized), then `roundPack` normalizes and rounds. Internal cut point 0: after the
    /// product.
    ///
    /// With `bPrecision`, `b` must be zero, infinite, NaN or normal with at most `bPrecision`
    /// significant bits (its low `precision - bPrecision` fraction bits zero, as an integer
    /// `d <= 2^bPrecision` is): only the top `bPrecision` bits of its significand enter the
    /// product, whose dropped bits are then zero, so the result is `mul`'s bit for bit with a
    /// `precision x bPrecision` multiplier.
    public func mul(_ a: Signal, _ b: Signal, bPrecision: Int? = nil, pipeline: FPPipeline = .combinational) -> Signal {
        let x = FPOperand(a, format, name: "a"), y = FPOperand(b, format, name: "b")
        let e = format.exponentBits
        // The operands' fields are named in use order: a's first.
        let aSignificand = x.significand
        let bSignificand = bPrecision.map { y.significandTop($0) } ?? y.significand
        // The narrow product is the full one shifted right by the dropped (zero) bits: its top bit
        // has the same weight, so the exponent below is the same.
        let product = (aSignificand * bSignificand).named("product")
        let sign = (x.sign ^ y.sign).named("sign")
        let isZero = (x.isZero || y.isZero).named("is_zero")
        let isInfinite = (x.isInfinite || y.isInfinite).named("is_inf")
        let isNaN = (x.isNaN || y.isNaN || (isZero && isInfinite)).named("is_nan")
        // product * 2^(fa + fb - 2 bias - 2f): its top bit (2p - 1) sits at fa + fb - bias + 1.
        let fieldSum = (x.effectiveField.zext(to: e + 1) &+ y.effectiveField.zext(to: e + 1)).named("field_sum")
        let staged = pipeline.cut(0, [sign, product, fieldSum, isZero, isInfinite, isNaN])
        let (sSign, sProduct, sFieldSum, sZero, sInfinite, sNaN) =
            (staged[0], staged[1], staged[2], staged[3], staged[4], staged[5])
        let biasedTop = (sFieldSum.zext(to: e + 3).asSigned() &- (format.bias - 1)).named("biased_top")
        let rounded = roundPack(sign: sSign, significand: sProduct, biasedTop: biasedTop)
        let result = mux(sNaN, format.canonicalNaNSignal,
                         mux(sInfinite, format.infinitySignal(sign: sSign),
                             mux(sZero, format.zeroSignal(sign: sSign), rounded)))
        Cover("nan_result", sNaN)
        Cover("infinite_operand", sInfinite && !sNaN)
        Cover("zero_operand", sZero && !sNaN)
        return pipeline.output(result, internalCuts: 1)
    }
}
