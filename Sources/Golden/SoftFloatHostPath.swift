// The host's floating point as a fast path of the soft-float, where it gives the same bits.
//
// binary32 is the host's Float: IEEE 754 fixes every nearest-even result bit for bit, and the
// path keeps only normal results (NaN encodings and the signs of zero follow our conventions in
// the soft path). Every other IEEE-like format of at most 24 fraction and 9 exponent bits goes
// through binary64:
// For a format of precision p <= 25 the exact sum, difference or product of two of its values,
// rounded to binary64 (p' = 53 >= 2p + 2) and then to nearest-even in the format, is the
// correctly rounded result: double rounding is innocuous for +, -, x when p' >= 2p + 2 (Figueroa,
// "When is double rounding innocuous?", SIGNUM 1995). With at most 9 exponent bits every operand,
// sum and product is a normal binary64, so only the final rounding into the format needs care;
// the path takes normal operands and normal results only and leaves zeros, subnormals, overflow,
// infinities and NaN to the soft-float. Round-to-nearest-even only. Checked against the soft path
// on every edge class and 1e7 random operand pairs per format (SoftFloatHostPathTests).

extension FloatFormat {
    /// Whether this is IEEE binary32, whose nearest-even `add`, `sub` and `mul` the host's Float
    /// computes directly (any operands; a result that is not a normal number goes to the soft path).
    @inlinable @inline(__always)
    var isHostBinary32: Bool { fractionBits == 23 && exponentBits == 8 && specials == .ieee }

    /// Whether `add`, `sub` and `mul` in round-to-nearest-even may take the binary64 path
    /// (IEEE specials, at most 24 fraction and 9 exponent bits).
    @inlinable @inline(__always)
    public var takesHostPath: Bool { fractionBits <= 24 && exponentBits <= 9 && specials == .ieee }

    /// The binary64 value of a normal encoding, by moving its fields; nil for any other class.
    @inlinable @inline(__always)
    func hostDouble(_ a: UInt64) -> Double? {
        let e = (a >> UInt64(fractionBits)) & maxExponentField
        guard e != 0, e != maxExponentField else { return nil }
        let sign = (a & signMask) != 0 ? UInt64(1) << 63 : 0
        let exponent = UInt64(Int(e) - bias + 1023) << 52
        return Double(bitPattern: sign | exponent | ((a & fractionMask) << UInt64(52 - fractionBits)))
    }

    /// `x` rounded to nearest-even into this format when the result is a normal number of it;
    /// nil otherwise (zero, subnormal, overflow, not finite), for the soft-float to decide.
    @inlinable @inline(__always)
    func hostRounded(_ x: Double) -> UInt64? {
        let bits = x.bitPattern
        let shift = UInt64(52 - fractionBits)
        var exponent = Int((bits >> 52) & 0x7FF) - 1023
        guard exponent >= minExponent, exponent <= maxExponent else { return nil }
        let mantissa = bits & ((UInt64(1) << 52) - 1)
        var q = mantissa >> shift
        if shift > 0 {
            let rest = mantissa & ((UInt64(1) << shift) - 1), half = UInt64(1) << (shift - 1)
            if rest > half || (rest == half && q & 1 == 1) { q += 1 }
        }
        if q > fractionMask {
            q = 0
            exponent += 1
            guard exponent <= maxExponent else { return nil }
        }
        let sign: UInt64 = bits >> 63 == 1 ? signMask : 0
        return sign | (UInt64(exponent + bias) << UInt64(fractionBits)) | q
    }
}
