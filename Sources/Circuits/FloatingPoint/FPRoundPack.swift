import Golden
import HDL

extension FloatUnits {
    /// Rounds the finite nonzero value `significand * 2^(biasedTop - bias - (W - 1))` (W the
    /// significand's width; the significand need not be normalized, its bit 0 may be a sticky
    /// bit) to nearest even: subnormal results and overflow to infinity included. The hardware
    /// form of `FloatFormat.roundPack`; a zero significand is the caller's case.
    ///
    /// One of two shifts applies: left by `min(lz, biasedTop - 1)` (normalization, stopping at
    /// the subnormal scale) when `biasedTop >= 1`, else right by `1 - biasedTop` with jamming.
    /// The rounding increment on `{field, fraction}` carries into the exponent field, so a
    /// subnormal can round up to the smallest normal and the largest finite to infinity.
    /// `coverRounding: false` leaves out the coverage points (for a conversion that is exact).
    func roundPack(sign: Signal, significand: Signal, biasedTop: Signal, coverRounding: Bool = true) -> Signal {
        let f = format.fractionBits, e = format.exponentBits
        // At least one round bit and one sticky bit below the fraction.
        let sig = significand.width >= f + 3
            ? significand : cat(significand, Const(0, width: f + 3 - significand.width)).named("round_sig")
        let width = sig.width
        let lz = leadingZeros(sig).named("lz")
        let wide = max(biasedTop.width, lz.width + 1, e + 1) + 2
        let top = biasedTop.sext(to: wide).named("top")
        let lzSigned = lz.zext(to: wide).asSigned()
        let normalField = (top &- lzSigned).named("normal_field")
        let isNormal = (normalField >= 1).named("is_normal")
        let overflow = (normalField > Int(format.maxFiniteExponentField)).named("overflow")
        let topMinusOne = top &- 1
        let leftAmountWidth = lz.width
        let leftAmount = mux(isNormal, lz, topMinusOne.asUnsigned().truncate(to: leftAmountWidth)).named("left_amount")
        let rightAmount = (1 &- top).asUnsigned().named("right_amount")
        let shifted = mux(top >= 1, sig &<< leftAmount, shiftRightJamming(sig, by: rightAmount, name: "denormal"))
        let field = mux(isNormal, normalField.asUnsigned().truncate(to: e), Const(0, width: e)).named("field")
        let fraction = shifted[width - 2, width - 1 - f].named("fraction")
        let roundBit = shifted[width - 2 - f].named("round_bit")
        let sticky = shifted[width - 3 - f, 0].orReduce().named("sticky")
        let roundUp = (roundBit && (sticky || fraction[0])).named("round_up")
        let magnitude = (cat(field, fraction) &+ roundUp.zext(to: e + f)).named("magnitude")
        // What a verification run must reach in every rounding unit (the rounding datapath's own
        // view: the caller's special cases, NaN, infinity and zero, may override its result).
        if coverRounding {
            Cover("round_up", roundUp)
            Cover("tie", roundBit && !sticky)
            Cover("subnormal_result", !isNormal && !overflow)
            Cover("overflow_to_infinity", overflow)
        }
        return mux(overflow, format.infinitySignal(sign: sign), cat(sign, magnitude))
    }
}
