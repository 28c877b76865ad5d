extension FloatFormat {
    /// `a * b`, rounded once. `0 * inf` is invalid.
    @inlinable
    public func mul(_ a: UInt64, _ b: UInt64, _ rm: RoundingMode = .nearestEven) -> UInt64 {
        if rm == .nearestEven, isHostBinary32 {
            let r = Float(bitPattern: UInt32(truncatingIfNeeded: a)) * Float(bitPattern: UInt32(truncatingIfNeeded: b))
            if r.isNormal { return UInt64(r.bitPattern) }
        } else if rm == .nearestEven, takesHostPath, let x = hostDouble(a), let y = hostDouble(b),
           let r = hostRounded(x * y) { return r }
        return mulSoft(a, b, rm)
    }

    /// `mul` by integer arithmetic alone, without the binary64 host path (SoftFloatHostPath.swift):
    /// the reference that path is checked against.
    @inlinable
    public func mulSoft(_ a: UInt64, _ b: UInt64, _ rm: RoundingMode = .nearestEven) -> UInt64 {
        if isNaN(a) || isNaN(b) { return invalidResult }
        let s = sign(a) != sign(b)
        if isInfinite(a) || isInfinite(b) {
            if isZero(a) || isZero(b) { return invalidResult }
            return infiniteResult(sign: s)
        }
        if isZero(a) || isZero(b) { return zero(sign: s) }
        let pa = finiteParts(a), pb = finiteParts(b)
        if precision <= 32 {
            return roundPack(sign: s, sig: pa.sig &* pb.sig, exp: pa.exp + pb.exp, rm)
        }
        return roundPack(sign: s, sig: UInt128(pa.sig) &* UInt128(pb.sig), exp: pa.exp + pb.exp, rm)
    }

    /// Fused multiply-add `a * b + c` with a single rounding of the exact result.
    ///
    /// `0 * inf` is invalid whatever `c` is; `inf + -inf` is invalid. An exact zero result follows
    /// the sign rules of `add` applied to the exact product and `c`.
    @inlinable
    public func fma(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ rm: RoundingMode = .nearestEven) -> UInt64 {
        if isNaN(a) || isNaN(b) || isNaN(c) { return invalidResult }
        let ps = sign(a) != sign(b)
        if isInfinite(a) || isInfinite(b) {
            if isZero(a) || isZero(b) { return invalidResult }
            if isInfinite(c) && sign(c) != ps { return invalidResult }
            return infiniteResult(sign: ps)
        }
        if isInfinite(c) { return c }
        if isZero(a) || isZero(b) {
            if isZero(c) { return zero(sign: ps == sign(c) ? ps : rm == .down) }
            return c
        }
        let pa = finiteParts(a), pb = finiteParts(b)
        if isZero(c) {
            if precision <= 32 {
                return roundPack(sign: ps, sig: pa.sig &* pb.sig, exp: pa.exp + pb.exp, rm)
            }
            return roundPack(sign: ps, sig: UInt128(pa.sig) &* UInt128(pb.sig), exp: pa.exp + pb.exp, rm)
        }
        let pc = finiteParts(c)
        // The exact product has <= 2p bits; addAligned needs operands of <= W-2 bits.
        if 2 * precision <= 62 {
            return addAligned(signA: ps, pa.sig &* pb.sig, pa.exp + pb.exp,
                              signB: sign(c), pc.sig, pc.exp, rm)
        }
        return addAligned(signA: ps, UInt128(pa.sig) &* UInt128(pb.sig), pa.exp + pb.exp,
                          signB: sign(c), UInt128(pc.sig), pc.exp, rm)
    }
}
