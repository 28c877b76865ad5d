// Soft-float core shared by every operation: unpacking an encoding to an integer significand and a
// power of two, and rounding an exact (or sticky-jammed) value back to an encoding.
//
// Policies (the same for every operation, documented here once):
// - Every NaN result is `canonicalNaN`.
// - `.finiteOnly` formats (FP6/FP4) have no NaN: an invalid operation (0 * inf cannot arise, but
//   0/0, sqrt(-x), NaN conversions can) returns `invalidResult`, positive zero.
// - Overflow (and division of a nonzero by zero) in a format without infinity saturates to
//   +-maxFinite in every rounding mode, the OCP MX convention, for arithmetic and conversions alike.
// - Overflow in IEEE formats follows IEEE 754: to infinity or to maxFinite by the rounding direction.

extension FloatFormat {
    /// The encoding an invalid operation produces: `canonicalNaN`, or +0 in a format without NaN.
    @inlinable public var invalidResult: UInt64 { canonicalNaN ?? 0 }

    /// Largest finite magnitude as an unsigned encoding (encodings are monotone in magnitude).
    @inlinable @inline(__always) var maxFiniteMagnitude: UInt64 { maxFinite(sign: false) }

    /// Significand and exponent of a finite encoding: |a| = sig * 2^exp (sig may be 0).
    @inlinable @inline(__always)
    func finiteParts(_ a: UInt64) -> (sig: UInt64, exp: Int) {
        let field = exponentField(a)
        let fraction = fractionField(a)
        if field == 0 { return (fraction, minExponent - fractionBits) }
        return (fraction | (UInt64(1) << UInt64(fractionBits)), Int(field) - bias - fractionBits)
    }

    /// Signed zero, as an encoding.
    @inlinable @inline(__always)
    func zero(sign: Bool) -> UInt64 { sign ? signMask : 0 }

    /// The encoding of an infinite result: infinity in IEEE formats, saturation otherwise.
    @inlinable @inline(__always)
    func infiniteResult(sign: Bool) -> UInt64 { infinity(sign: sign) ?? maxFinite(sign: sign) }

    /// What an overflowing result becomes under `rm` (see the policy at the top of this file).
    @inlinable
    func overflowResult(sign: Bool, _ rm: RoundingMode) -> UInt64 {
        guard let inf = infinity(sign: sign) else { return maxFinite(sign: sign) }
        let saturate = maxFinite(sign: sign)
        switch rm {
        case .nearestEven, .nearestAway: return inf
        case .towardZero: return saturate
        case .up: return sign ? saturate : inf
        case .down: return sign ? inf : saturate
        }
    }

    /// Rounds `sig * 2^exp` (sig > 0; its bit 0 may be a sticky bit standing for lost lower bits)
    /// to this format: one rounding, subnormals, overflow per the file's policy.
    @inlinable
    func roundPack<W: FixedWidthInteger & UnsignedInteger>(
        sign: Bool, sig: W, exp: Int, _ rm: RoundingMode
    ) -> UInt64 {
        let msb = W.bitWidth - 1 - sig.leadingZeroBitCount
        let e = exp + msb
        if e > maxExponent { return overflowResult(sign: sign, rm) }
        // The exponent of the result's least significant bit: fixed at emin - f for subnormals.
        let eq = Swift.max(e, minExponent)
        let shift = eq - fractionBits - exp
        let mant: UInt64
        if shift <= 0 {
            mant = UInt64(truncatingIfNeeded: sig) << UInt64(-shift)
        } else {
            mant = UInt64(truncatingIfNeeded: roundingShiftRight(sig, by: shift, sign: sign, rm))
        }
        // Adding the significand (hidden bit included) onto (biased exponent - 1) lets a rounding
        // carry ripple into the exponent field, and a subnormal (eq = emin) land on field 0.
        let magnitude = (UInt64(eq + bias - 1) << UInt64(fractionBits)) &+ mant
        if magnitude > maxFiniteMagnitude { return overflowResult(sign: sign, rm) }
        return (sign ? signMask : 0) | magnitude
    }
}

/// `x / 2^s` rounded to an integer by `rm` for a value of sign `sign` (s > 0).
@inlinable @inline(__always)
func roundingShiftRight<W: FixedWidthInteger & UnsignedInteger>(
    _ x: W, by s: Int, sign: Bool, _ rm: RoundingMode
) -> W {
    let q: W
    let round: Bool
    let sticky: Bool
    if s > W.bitWidth {
        q = 0; round = false; sticky = x != 0
    } else if s == W.bitWidth {
        q = 0; round = x >> (W.bitWidth - 1) != 0; sticky = x << 1 != 0
    } else {
        q = x >> s
        round = (x >> (s - 1)) & 1 != 0
        sticky = x & ((W(1) << (s - 1)) &- 1) != 0
    }
    let up: Bool
    switch rm {
    case .nearestEven: up = round && (sticky || q & 1 != 0)
    case .nearestAway: up = round
    case .towardZero: up = false
    case .up: up = !sign && (round || sticky)
    case .down: up = sign && (round || sticky)
    }
    return up ? q &+ 1 : q
}

/// `x >> s` with every shifted-out bit ORed into bit 0 (sticky jamming), s >= 0.
@inlinable @inline(__always)
func shiftRightJamming<W: FixedWidthInteger & UnsignedInteger>(_ x: W, by s: Int) -> W {
    if s == 0 { return x }
    if s >= W.bitWidth { return x != 0 ? 1 : 0 }
    let lost = x & ((W(1) << s) &- 1)
    return (x >> s) | (lost != 0 ? 1 : 0)
}
