/// Arithmetic on little-endian 64-bit word arrays of a given bit width: the IR simulator's
/// value operations. Bits above the width are kept zero in every result.
enum WordArithmetic {
    @inline(__always)
    static func wordCount(_ width: Int) -> Int { max(1, (width + 63) >> 6) }

    /// Clears the bits of the top word above `width`.
    @inline(__always)
    static func maskTop(_ p: UnsafeMutablePointer<UInt64>, width: Int) {
        let spare = width & 63
        if spare != 0 { p[wordCount(width) - 1] &= (UInt64(1) << UInt64(spare)) - 1 }
    }

    @inline(__always)
    static func bit(_ p: UnsafePointer<UInt64>, _ index: Int) -> Bool {
        (p[index >> 6] >> UInt64(index & 63)) & 1 == 1
    }

    /// `dst` (width `dstWidth`) = `src` (width `srcWidth`) zero- or sign-extended, or truncated.
    static func extend(_ src: UnsafePointer<UInt64>, srcWidth: Int, signed: Bool,
                       into dst: UnsafeMutablePointer<UInt64>, dstWidth: Int) {
        let srcWords = wordCount(srcWidth), dstWords = wordCount(dstWidth)
        let negative = signed && srcWidth > 0 && bit(src, srcWidth - 1)
        for i in 0..<dstWords { dst[i] = i < srcWords ? src[i] : (negative ? ~0 : 0) }
        if negative && dstWidth > srcWidth {
            // Fill the top word of the source above its width.
            let spare = srcWidth & 63
            if spare != 0 { dst[srcWords - 1] |= ~UInt64(0) << UInt64(spare) }
        }
        maskTop(dst, width: dstWidth)
    }

    /// `dst` (width `width`) = bits `low ..< low + width` of `src` (`srcWords` words).
    static func extract(_ src: UnsafePointer<UInt64>, srcWords: Int, low: Int,
                        into dst: UnsafeMutablePointer<UInt64>, width: Int) {
        let shift = low & 63, wordShift = low >> 6
        for i in 0..<wordCount(width) {
            let index = i + wordShift
            var word = index < srcWords ? src[index] >> UInt64(shift) : 0
            if shift != 0, index + 1 < srcWords { word |= src[index + 1] << UInt64(64 - shift) }
            dst[i] = word
        }
        maskTop(dst, width: width)
    }

    /// Writes `width` bits of `src` into `dst` at bit `low` (other bits of `dst` kept).
    static func insert(_ src: UnsafePointer<UInt64>, width: Int, into dst: UnsafeMutablePointer<UInt64>, low: Int) {
        for i in 0..<width where bit(src, i) != bit(UnsafePointer(dst), low + i) {
            dst[(low + i) >> 6] ^= UInt64(1) << UInt64((low + i) & 63)
        }
    }

    static func add(_ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>, into r: UnsafeMutablePointer<UInt64>,
                    width: Int, subtract: Bool) {
        var carry: UInt64 = subtract ? 1 : 0
        for i in 0..<wordCount(width) {
            let y = subtract ? ~b[i] : b[i]
            let (s1, o1) = a[i].addingReportingOverflow(y)
            let (s2, o2) = s1.addingReportingOverflow(carry)
            r[i] = s2
            carry = (o1 ? 1 : 0) + (o2 ? 1 : 0)
        }
        maskTop(r, width: width)
    }

    /// `r` = `a` * `b` mod 2^width (all three of `width` bits; `r` must not alias the operands).
    static func multiply(_ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>, into r: UnsafeMutablePointer<UInt64>,
                         width: Int) {
        let n = wordCount(width)
        for i in 0..<n { r[i] = 0 }
        for i in 0..<n where a[i] != 0 {
            var carry: UInt64 = 0
            for j in 0..<(n - i) {
                let (high, low) = a[i].multipliedFullWidth(by: b[j])
                let (s1, o1) = r[i + j].addingReportingOverflow(low)
                let (s2, o2) = s1.addingReportingOverflow(carry)
                r[i + j] = s2
                carry = high &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
            }
        }
        maskTop(r, width: width)
    }

    /// -1, 0 or 1: `a` compared with `b`, both `width` bits, as two's complement when `signed`.
    static func compare(_ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>, width: Int, signed: Bool) -> Int {
        if signed {
            let na = bit(a, width - 1), nb = bit(b, width - 1)
            if na != nb { return na ? -1 : 1 }
        }
        var i = wordCount(width) - 1
        while i >= 0 {
            if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
            i -= 1
        }
        return 0
    }

    /// The shift amount held in `amount` (`words` words), saturated to `limit`.
    static func shiftAmount(_ amount: UnsafePointer<UInt64>, words: Int, limit: Int) -> Int {
        for i in 1..<max(1, words) where amount[i] != 0 { return limit }
        return amount[0] >= UInt64(limit) ? limit : Int(amount[0])
    }

    /// `r` = `a` << `k` (both `width` bits).
    static func shiftLeft(_ a: UnsafePointer<UInt64>, by k: Int, into r: UnsafeMutablePointer<UInt64>, width: Int) {
        let n = wordCount(width), wordShift = k >> 6, bitShift = k & 63
        var i = n - 1
        while i >= 0 {
            let source = i - wordShift
            var word: UInt64 = source >= 0 ? a[source] << UInt64(bitShift) : 0
            if bitShift != 0, source - 1 >= 0 { word |= a[source - 1] >> UInt64(64 - bitShift) }
            r[i] = word
            i -= 1
        }
        maskTop(r, width: width)
    }

    /// `r` = `a` >> `k` (both `width` bits), filling with the sign bit when `arithmetic`.
    static func shiftRight(_ a: UnsafePointer<UInt64>, by k: Int, into r: UnsafeMutablePointer<UInt64>, width: Int,
                           arithmetic: Bool) {
        let n = wordCount(width)
        let negative = arithmetic && bit(a, width - 1)
        if k >= width {
            for i in 0..<n { r[i] = negative ? ~0 : 0 }
            maskTop(r, width: width)
            return
        }
        let wordShift = k >> 6, bitShift = k & 63
        // Sign-fill the source's top word above the width first so the shift carries it down.
        let fill: UInt64 = negative ? ~0 : 0
        func source(_ index: Int) -> UInt64 {
            guard index < n else { return fill }
            let spare = width & 63
            if index == n - 1, spare != 0, negative { return a[index] | (~UInt64(0) << UInt64(spare)) }
            return a[index]
        }
        for i in 0..<n {
            var word = source(i + wordShift) >> UInt64(bitShift)
            if bitShift != 0 { word |= source(i + wordShift + 1) << UInt64(64 - bitShift) }
            r[i] = word
        }
        maskTop(r, width: width)
    }
}
