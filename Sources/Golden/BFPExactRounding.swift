/// A finite or special value decoded from an encoding into exact integer terms.
enum BFPDecodedValue {
    case zero(sign: Bool)
    /// sign * significand * 2^exponent with significand > 0.
    case finite(sign: Bool, significand: UInt64, exponent: Int)
    case infinity(sign: Bool)
    case nan

    init(_ bits: UInt64, _ format: FloatFormat, flushSubnormals: Bool = false) {
        let sign = format.sign(bits)
        if format.isNaN(bits) { self = .nan; return }
        if format.isInfinite(bits) { self = .infinity(sign: sign); return }
        let parts = format.finiteParts(bits)
        if parts.sig == 0 || (flushSubnormals && format.isSubnormal(bits)) {
            self = .zero(sign: sign)
        } else {
            self = .finite(sign: sign, significand: parts.sig, exponent: parts.exp)
        }
    }
}

/// Integer-exact element rounding of the quantizer: the soft-float rounding plus stochastic
/// rounding and MX saturation.
enum BFPExactRounding {
    /// floor(log2(significand * 2^exponent)) for significand > 0.
    static func floorLog2(significand: UInt64, exponent: Int) -> Int {
        exponent + (63 - significand.leadingZeroBitCount)
    }

    /// ceil(log2(significand * 2^exponent)) for significand > 0.
    static func ceilLog2(significand: UInt64, exponent: Int) -> Int {
        floorLog2(significand: significand, exponent: exponent) + (significand.nonzeroBitCount == 1 ? 0 : 1)
    }

    /// `magnitude / 2^shift` rounded to an integer (`shift` may exceed 64; `shift <= 0` is an exact
    /// left shift the caller guarantees fits). `random` is the stochastic draw of `randomBits` bits.
    static func shiftRight(_ magnitude: UInt64, by shift: Int, rounding: BFPRounding,
                           random: UInt32, randomBits: Int) -> UInt64 {
        if shift <= 0 {
            precondition(shift > -64 && magnitude >> UInt64(64 + shift) == 0, "exact shift overflows")
            return magnitude << UInt64(-shift)
        }
        let kept = shift >= 64 ? 0 : magnitude >> UInt64(shift)
        let roundUp: Bool
        switch rounding {
        case .towardZero:
            roundUp = false
        case .nearestEven, .nearestAway:
            let guardBit = shift - 1 >= 64 ? false : (magnitude >> UInt64(shift - 1)) & 1 == 1
            let sticky = shift - 1 >= 64 ? magnitude != 0 : magnitude & lowMask(shift - 1) != 0
            roundUp = guardBit && (rounding == .nearestAway || sticky || kept & 1 == 1)
        case .stochastic:
            // The top `randomBits` bits of the discarded part, aligned to weight 2^-randomBits.
            let top: UInt64
            if shift >= randomBits {
                let s = shift - randomBits
                top = (s >= 64 ? 0 : magnitude >> UInt64(s)) & lowMask(randomBits)
            } else {
                top = (magnitude & lowMask(shift)) << UInt64(randomBits - shift)
            }
            roundUp = top + UInt64(random) >= UInt64(1) << UInt64(randomBits)
        }
        return kept + (roundUp ? 1 : 0)
    }

    /// Rounds sign * significand * 2^exponent (significand > 0) into `format`, saturating to the
    /// largest finite magnitude on overflow (MX clamps; E5M2 never yields infinity here).
    static func round(sign: Bool, significand: UInt64, exponent: Int, to format: FloatFormat,
                      rounding: BFPRounding, random: UInt32, randomBits: Int) -> UInt64 {
        let fb = format.fractionBits
        let log2 = floorLog2(significand: significand, exponent: exponent)
        // Quantum (weight of one unit in the last place) at this value's binade, or the subnormal
        // quantum below the normal range.
        var quantum = max(log2, format.minExponent) - fb
        var n = shiftRight(significand, by: quantum - exponent, rounding: rounding,
                           random: random, randomBits: randomBits)
        if n == UInt64(1) << UInt64(fb + 1) {  // carry out of the significand: next binade
            n >>= 1
            quantum += 1
        }
        if n == 0 { return format.encode(sign: sign, exponentField: 0, fractionField: 0) }
        let hidden = UInt64(1) << UInt64(fb)
        let exponentField = n >= hidden ? quantum + fb + format.bias : 0
        let fraction = n >= hidden ? n - hidden : n
        let maxMagnitude = format.maxFinite(sign: false)
        let tooBig = exponentField > Int(format.maxFiniteExponentField)
            || (exponentField == Int(format.maxFiniteExponentField)
                && fraction > format.fractionField(maxMagnitude))
        if tooBig { return format.maxFinite(sign: sign) }
        return format.encode(sign: sign, exponentField: UInt64(exponentField), fractionField: fraction)
    }

    static func lowMask(_ bits: Int) -> UInt64 {
        bits >= 64 ? ~0 : (UInt64(1) << UInt64(bits)) - 1
    }
}
