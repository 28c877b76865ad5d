extension FloatFormat {
    /// `a * 2^k`, rounded once (subnormal results and overflow as for any operation).
    @inlinable
    public func scaleB(_ a: UInt64, _ k: Int, _ rm: RoundingMode = .nearestEven) -> UInt64 {
        if isNaN(a) { return invalidResult }
        if isInfinite(a) || isZero(a) { return a & encodingMask }
        let p = finiteParts(a)
        // Clamping keeps exp + k from overflowing Int while still over/underflowing every format.
        let kk = Swift.min(Swift.max(k, -1 << 20), 1 << 20)
        return roundPack(sign: sign(a), sig: p.sig, exp: p.exp + kk, rm)
    }

    /// `a` converted to `target`, rounded once. NaN becomes the target's canonical NaN (or its
    /// `invalidResult`); infinity becomes the target's infinity, or saturates to its maxFinite.
    @inlinable
    public func convert(_ a: UInt64, to target: FloatFormat, _ rm: RoundingMode = .nearestEven) -> UInt64 {
        // Same fields, same value: skip the rounding (a hot path when accumulating in the format).
        if target.fractionBits == fractionBits && target.exponentBits == exponentBits
            && target.specials == specials && !isNaN(a) { return a & encodingMask }
        // A normal value of binary64 or of a host-path format lands in a host-path format by one
        // rounding of its exact binary64 value (SoftFloatHostPath.swift).
        if rm == .nearestEven, target.takesHostPath {
            let isBinary64 = fractionBits == 52 && exponentBits == 11 && specials == .ieee
            if let x = isBinary64 ? Double(bitPattern: a) : (takesHostPath ? hostDouble(a) : nil),
               let r = target.hostRounded(x) { return r }
        }
        return convertSoft(a, to: target, rm)
    }

    /// `convert` by integer arithmetic alone, without the host path: the reference that path is
    /// checked against.
    @inlinable
    public func convertSoft(_ a: UInt64, to target: FloatFormat, _ rm: RoundingMode = .nearestEven) -> UInt64 {
        if isNaN(a) { return target.invalidResult }
        // Same fields, same value: skip the rounding (a hot path when accumulating in the format).
        if target.fractionBits == fractionBits && target.exponentBits == exponentBits
            && target.specials == specials { return a & encodingMask }
        let s = sign(a)
        if isInfinite(a) { return target.infiniteResult(sign: s) }
        if isZero(a) { return target.zero(sign: s) }
        let p = finiteParts(a)
        return target.roundPack(sign: s, sig: p.sig, exp: p.exp, rm)
    }

    /// The encoding nearest `x` under `rm` (correctly rounded from the exact binary64 value).
    @inlinable
    public func fromDouble(_ x: Double, _ rm: RoundingMode = .nearestEven) -> UInt64 {
        FloatFormat.fp64.convert(x.bitPattern, to: self, rm)
    }

    /// The value of `a` as a Double: exact for formats whose values binary64 holds (every named
    /// format), correctly rounded to nearest-even otherwise. NaN gives `Double.nan`.
    @inlinable
    public func toDouble(_ a: UInt64) -> Double {
        if isNaN(a) { return .nan }
        let s = sign(a)
        if isInfinite(a) { return s ? -.infinity : .infinity }
        let p = finiteParts(a)
        if precision <= 53 && maxExponent <= 1023 && minExponent - fractionBits >= -1074 {
            let magnitude = Double(sign: .plus, exponent: p.exp, significand: Double(p.sig))
            return s ? -magnitude : magnitude
        }
        if p.sig == 0 { return s ? -0.0 : 0.0 }
        return Double(bitPattern: FloatFormat.fp64.roundPack(sign: s, sig: p.sig, exp: p.exp, .nearestEven))
    }

    /// `i` rounded into this format.
    @inlinable
    public func fromInt(_ i: Int64, _ rm: RoundingMode = .nearestEven) -> UInt64 {
        if i == 0 { return 0 }
        return roundPack(sign: i < 0, sig: i.magnitude, exp: 0, rm)
    }

    /// `a` rounded to an integer by `rm` (default truncation, like a C cast); `nil` for NaN,
    /// infinity, or a rounded value outside `Int64`.
    @inlinable
    public func toInt(_ a: UInt64, _ rm: RoundingMode = .towardZero) -> Int64? {
        if isNaN(a) || isInfinite(a) { return nil }
        let s = sign(a)
        let p = finiteParts(a)
        if p.sig == 0 { return 0 }
        let magnitude: UInt64
        if p.exp >= 0 {
            // sig has >= 1 bit; anything shifted past bit 63 is out of range.
            if p.exp > 63 || p.sig.leadingZeroBitCount < p.exp { return nil }
            magnitude = p.sig << UInt64(p.exp)
        } else {
            magnitude = roundingShiftRight(p.sig, by: -p.exp, sign: s, rm)
        }
        if s {
            if magnitude > UInt64(1) << 63 { return nil }
            return magnitude == UInt64(1) << 63 ? .min : -Int64(magnitude)
        }
        return magnitude > UInt64(Int64.max) ? nil : Int64(magnitude)
    }
}
