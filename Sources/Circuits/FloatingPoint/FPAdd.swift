import Golden
import HDL

extension FloatUnits {
    /// `a + b` rounded to nearest even: `FloatFormat.add`. An exact zero sum of nonzero
    /// operands is +0; `inf - inf` and NaN operands give the canonical NaN.
    ///
    /// Datapath: order the operands by magnitude, align the smaller with sticky jamming into
    /// `precision + 3` bits (exact enough: see `FloatFormat.addAligned`), add or subtract, then
    /// `roundPack` normalizes (leading-zero count) and rounds. Internal cut point 0: after the
    /// significand sum.
    public func add(_ a: Signal, _ b: Signal, pipeline: FPPipeline = .combinational) -> Signal {
        let x = FPOperand(a, format, name: "a"), y = FPOperand(b, format, name: "b")
        let p = format.precision
        let magnitudeA = a[width - 2, 0], magnitudeB = b[width - 2, 0]
        let aIsBig = (magnitudeA >= magnitudeB).named("a_is_big")
        let bigSign = mux(aIsBig, x.sign, y.sign).named("big_sign")
        let bigField = mux(aIsBig, x.effectiveField, y.effectiveField).named("big_field")
        let smallField = mux(aIsBig, y.effectiveField, x.effectiveField).named("small_field")
        let bigSig = cat(mux(aIsBig, x.significand, y.significand), Const(0, width: 3)).named("big_sig")
        let smallSig = cat(mux(aIsBig, y.significand, x.significand), Const(0, width: 3)).named("small_sig")
        let alignShift = (bigField &- smallField).named("align_shift")
        let aligned = shiftRightJamming(smallSig, by: alignShift, name: "aligned").named("aligned")
        let subtract = (x.sign ^ y.sign).named("subtract")
        let wideBig = bigSig.zext(to: p + 4), wideSmall = aligned.zext(to: p + 4)
        let sum = mux(subtract, wideBig &- wideSmall, wideBig &+ wideSmall).named("sum")

        let isNaN = (x.isNaN || y.isNaN || (x.isInfinite && y.isInfinite && subtract)).named("is_nan")
        let isInfinite = (x.isInfinite || y.isInfinite).named("is_inf")
        let infiniteSign = mux(x.isInfinite, x.sign, y.sign).named("inf_sign")
        // Exact zero (both operands zero, or exact cancellation): -0 only for -0 + -0.
        let zeroSign = (x.sign && y.sign).named("zero_sign")
        let staged = pipeline.cut(0, [bigSign, sum, bigField, isNaN, isInfinite, infiniteSign, zeroSign])
        let (sSign, sSum, sField, sNaN, sInfinite, sInfiniteSign, sZeroSign) =
            (staged[0], staged[1], staged[2], staged[3], staged[4], staged[5], staged[6])

        // The sum's top bit (the carry position) is one above the larger operand's hidden bit.
        let biasedTop = (sField.zext(to: format.exponentBits + 1) &+ 1).named("biased_top")
        let rounded = roundPack(sign: sSign, significand: sSum, biasedTop: biasedTop.asSigned().sext(to: format.exponentBits + 2))
        let result = mux(sNaN, format.canonicalNaNSignal,
                         mux(sInfinite, format.infinitySignal(sign: sInfiniteSign),
                             mux(sSum.orReduce(), rounded, format.zeroSignal(sign: sZeroSign))))
        Cover("nan_result", sNaN)
        Cover("infinite_operand", sInfinite && !sNaN)
        Cover("exact_zero", !sNaN && !sInfinite && !sSum.orReduce())
        return pipeline.output(result, internalCuts: 1)
    }

    /// `a - b`: `add` with the sign of `b` flipped (`FloatFormat.sub`).
    public func sub(_ a: Signal, _ b: Signal, pipeline: FPPipeline = .combinational) -> Signal {
        add(a, cat(!b[width - 1], b[width - 2, 0]), pipeline: pipeline)
    }
}
