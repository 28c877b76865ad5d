extension FloatFormat {
    /// `a / b`, rounded once. `0/0` and `inf/inf` are invalid; a nonzero divided by zero is an
    /// infinity of the quotient's sign (saturated to maxFinite in formats without infinity).
    @inlinable
    public func div(_ a: UInt64, _ b: UInt64, _ rm: RoundingMode = .nearestEven) -> UInt64 {
        if isNaN(a) || isNaN(b) { return invalidResult }
        let s = sign(a) != sign(b)
        if isInfinite(a) {
            return isInfinite(b) ? invalidResult : infiniteResult(sign: s)
        }
        if isInfinite(b) { return zero(sign: s) }
        if isZero(b) { return isZero(a) ? invalidResult : infiniteResult(sign: s) }
        if isZero(a) { return zero(sign: s) }
        let pa = finiteParts(a), pb = finiteParts(b)
        // Both significands normalized to [2^62, 2^63): the quotient of (x << 64) / y lies in
        // (2^63, 2^65), >= 64 bits, enough for any precision <= 63 plus a round bit, and the
        // remainder decides the sticky bit.
        let la = pa.sig.leadingZeroBitCount - 1, lb = pb.sig.leadingZeroBitCount - 1
        let x = UInt128(pa.sig << UInt64(la)), y = UInt128(pb.sig << UInt64(lb))
        let dividend = x << 64
        let q = dividend / y
        let sticky: UInt128 = dividend - q * y != 0 ? 1 : 0
        return roundPack(sign: s, sig: q | sticky, exp: (pa.exp - la) - (pb.exp - lb) - 64, rm)
    }

    /// `sqrt(a)`, rounded once. `sqrt(-0) = -0`; the root of a negative nonzero is invalid.
    @inlinable
    public func sqrt(_ a: UInt64, _ rm: RoundingMode = .nearestEven) -> UInt64 {
        if isNaN(a) { return invalidResult }
        if isZero(a) { return a & encodingMask }
        if sign(a) { return invalidResult }
        if isInfinite(a) { return a }
        let p = finiteParts(a)
        // Place the significand at bit 125 or 126 so the exponent becomes even: the integer root
        // then has 63-64 bits, more than precision + 1, and a nonzero remainder is the sticky bit.
        var shift = 126 - (63 - p.sig.leadingZeroBitCount)
        if (p.exp - shift) & 1 != 0 { shift -= 1 }
        let radicand = UInt128(p.sig) << UInt128(shift)
        let (root, remainder) = integerSquareRoot(radicand)
        let sticky: UInt128 = remainder != 0 ? 1 : 0
        return roundPack(sign: false, sig: root | sticky, exp: (p.exp - shift) / 2, rm)
    }
}

/// floor(sqrt(n)) and n - floor(sqrt(n))^2, digit by digit (two bits of n per root bit).
@inlinable
func integerSquareRoot(_ n: UInt128) -> (root: UInt128, remainder: UInt128) {
    var remainder: UInt128 = 0
    var root: UInt128 = 0
    var bitPair = 126
    while bitPair >= 0 {
        remainder = (remainder << 2) | ((n >> UInt128(bitPair)) & 3)
        root <<= 1
        let trial = (root << 1) | 1
        if remainder >= trial {
            remainder -= trial
            root |= 1
        }
        bitPair -= 2
    }
    return (root, remainder)
}
