extension FloatFormat {
    /// `a + b`, rounded once. NaN in, NaN out; `inf - inf` is invalid. An exact zero sum of
    /// nonzero operands is +0 (-0 when rounding down), as IEEE 754 requires.
    @inlinable
    public func add(_ a: UInt64, _ b: UInt64, _ rm: RoundingMode = .nearestEven) -> UInt64 {
        if rm == .nearestEven, isHostBinary32 {
            let r = Float(bitPattern: UInt32(truncatingIfNeeded: a)) + Float(bitPattern: UInt32(truncatingIfNeeded: b))
            if r.isNormal { return UInt64(r.bitPattern) }
        } else if rm == .nearestEven, takesHostPath, let x = hostDouble(a), let y = hostDouble(b),
           let r = hostRounded(x + y) { return r }
        return addSoft(a, b, rm)
    }

    /// `add` by integer arithmetic alone, without the binary64 host path (SoftFloatHostPath.swift):
    /// the reference that path is checked against.
    @inlinable
    public func addSoft(_ a: UInt64, _ b: UInt64, _ rm: RoundingMode = .nearestEven) -> UInt64 {
        if isNaN(a) || isNaN(b) { return invalidResult }
        let sa = sign(a), sb = sign(b)
        if isInfinite(a) || isInfinite(b) {
            if isInfinite(a) && isInfinite(b) && sa != sb { return invalidResult }
            return isInfinite(a) ? a : b
        }
        if isZero(a) {
            if isZero(b) { return zero(sign: sa == sb ? sa : rm == .down) }
            return b
        }
        if isZero(b) { return a }
        let pa = finiteParts(a), pb = finiteParts(b)
        // Widths that keep the jammed alignment exact enough: see addAligned.
        if precision <= 60 {
            return addAligned(signA: sa, UInt64(pa.sig), pa.exp, signB: sb, UInt64(pb.sig), pb.exp, rm)
        }
        return addAligned(signA: sa, UInt128(pa.sig), pa.exp, signB: sb, UInt128(pb.sig), pb.exp, rm)
    }

    /// `a - b`, rounded once (`add` with `b` negated).
    @inlinable
    public func sub(_ a: UInt64, _ b: UInt64, _ rm: RoundingMode = .nearestEven) -> UInt64 {
        if isNaN(b) { return invalidResult }
        return add(a, b ^ signMask, rm)
    }

    /// Rounds `(-1)^signA * x * 2^ex + (-1)^signB * y * 2^ey` (x, y > 0) into this format.
    ///
    /// Both operands are normalized to bit W-2 and the smaller one is shifted right with sticky
    /// jamming. Exact when the exponents differ by at most 1 (operands of <= W-2 bits lose nothing);
    /// otherwise at most one bit cancels, so the result keeps >= W-2-precision bits below its
    /// rounding position and the jammed bit only decides stickiness. Requires operands of at most
    /// W-2 bits and a precision of at most W-4.
    @inlinable
    func addAligned<W: FixedWidthInteger & UnsignedInteger>(
        signA: Bool, _ x: W, _ ex: Int, signB: Bool, _ y: W, _ ey: Int, _ rm: RoundingMode
    ) -> UInt64 {
        let lx = x.leadingZeroBitCount - 1, ly = y.leadingZeroBitCount - 1
        var big = x << lx, bigExp = ex - lx, bigSign = signA
        var small = y << ly, smallExp = ey - ly
        if smallExp > bigExp || (smallExp == bigExp && small > big) {
            swap(&big, &small); swap(&bigExp, &smallExp); bigSign = signB
        }
        small = shiftRightJamming(small, by: bigExp - smallExp)
        if signA == signB {
            return roundPack(sign: bigSign, sig: big &+ small, exp: bigExp, rm)
        }
        let difference = big &- small
        if difference == 0 { return zero(sign: rm == .down) }
        return roundPack(sign: bigSign, sig: difference, exp: bigExp, rm)
    }
}
