extension FloatFormat {
    /// Total order key of a non-NaN encoding: sign-magnitude folded onto the integers, +-0 merged.
    @inlinable @inline(__always)
    func orderKey(_ a: UInt64) -> Int64 {
        let magnitude = Int64(bitPattern: a & ~signMask & encodingMask)
        return sign(a) ? -magnitude : magnitude
    }

    /// IEEE 754 comparison: NaN is unordered with everything, -0 equals +0.
    @inlinable
    public func compare(_ a: UInt64, _ b: UInt64) -> FloatOrder {
        if isNaN(a) || isNaN(b) { return .unordered }
        let ka = orderKey(a), kb = orderKey(b)
        return ka < kb ? .less : (ka == kb ? .equal : .greater)
    }

    /// IEEE 754-2019 `minimum`: NaN if either operand is NaN, and -0 is below +0.
    @inlinable
    public func minimum(_ a: UInt64, _ b: UInt64) -> UInt64 {
        if isNaN(a) || isNaN(b) { return invalidResult }
        let ka = orderKey(a), kb = orderKey(b)
        if ka == kb { return sign(a) ? a : b }
        return ka < kb ? a : b
    }

    /// IEEE 754-2019 `maximum`: NaN if either operand is NaN, and +0 is above -0.
    @inlinable
    public func maximum(_ a: UInt64, _ b: UInt64) -> UInt64 {
        if isNaN(a) || isNaN(b) { return invalidResult }
        let ka = orderKey(a), kb = orderKey(b)
        if ka == kb { return sign(a) ? b : a }
        return ka > kb ? a : b
    }

    /// IEEE 754-2019 `minimumNumber`: a NaN operand is ignored (NaN only if both are).
    @inlinable
    public func minimumNumber(_ a: UInt64, _ b: UInt64) -> UInt64 {
        if isNaN(a) { return isNaN(b) ? invalidResult : b }
        return isNaN(b) ? a : minimum(a, b)
    }

    /// IEEE 754-2019 `maximumNumber`: a NaN operand is ignored (NaN only if both are).
    @inlinable
    public func maximumNumber(_ a: UInt64, _ b: UInt64) -> UInt64 {
        if isNaN(a) { return isNaN(b) ? invalidResult : b }
        return isNaN(b) ? a : maximum(a, b)
    }

    /// The IEEE 754 class of `a`. In IEEE formats a NaN is quiet when its top fraction bit is set.
    @inlinable
    public func classify(_ a: UInt64) -> FloatClass {
        if isNaN(a) {
            if specials == .ieee && fractionBits > 0 && a & (UInt64(1) << UInt64(fractionBits - 1)) == 0 {
                return .signalingNaN
            }
            return .quietNaN
        }
        let s = sign(a)
        if isInfinite(a) { return s ? .negativeInfinity : .positiveInfinity }
        if isZero(a) { return s ? .negativeZero : .positiveZero }
        if isSubnormal(a) { return s ? .negativeSubnormal : .positiveSubnormal }
        return s ? .negativeNormal : .positiveNormal
    }

    /// `-a` (sign flip; a NaN comes out canonical).
    @inlinable
    public func negate(_ a: UInt64) -> UInt64 {
        isNaN(a) ? invalidResult : (a ^ signMask) & encodingMask
    }

    /// `|a|` (sign cleared; a NaN comes out canonical).
    @inlinable
    public func abs(_ a: UInt64) -> UInt64 {
        isNaN(a) ? invalidResult : a & ~signMask & encodingMask
    }

    /// floor(log2 |a|) for finite nonzero `a` (subnormals normalized); `nil` otherwise.
    @inlinable
    public func unbiasedExponent(_ a: UInt64) -> Int? {
        if isNaN(a) || isInfinite(a) || isZero(a) { return nil }
        let p = finiteParts(a)
        return p.exp + 63 - p.sig.leadingZeroBitCount
    }
}
