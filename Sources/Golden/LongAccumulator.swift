/// An exact sum of finite values of one format, kept as a two's-complement integer over the
/// format's whole range (a Kulisch long accumulator): bit 0 weighs the smallest subnormal,
/// `2^(minExponent - fractionBits)`, and `width` bits hold the sum of `terms` values of any
/// magnitude. Nothing is ever rounded.
///
/// The wide LayerNorm sums its inputs in one (`docs/precision.md`, "The sum"), and `split` turns
/// the exact sum into the two-term expansion `hi + lo` its centring subtracts.
public struct LongAccumulator: Sendable, Hashable {
    public let format: FloatFormat
    /// Bits of the two's-complement sum: `bitsPerValue + bitLength(terms) + 1`.
    public let width: Int
    /// Little-endian 64-bit words, two's complement over all of them.
    private var words: [UInt64]

    /// An empty accumulator for up to `terms` finite values of `format`.
    public init(format: FloatFormat, terms: Int) {
        self.format = format
        width = Self.width(format: format, terms: terms)
        words = [UInt64](repeating: 0, count: (width + 64) / 64)
    }

    /// Bits of the magnitude of one finite value: `2^(maxExponent + 1)` in units of the smallest
    /// subnormal.
    public static func bitsPerValue(format: FloatFormat) -> Int {
        format.maxExponent + 1 - (format.minExponent - format.fractionBits)
    }

    /// Bits of the two's-complement sum of `terms` finite values.
    public static func width(format: FloatFormat, terms: Int) -> Int {
        bitsPerValue(format: format) + (Int.bitWidth - max(1, terms).leadingZeroBitCount) + 1
    }

    /// The exponent of bit 0.
    public var lsbExponent: Int { format.minExponent - format.fractionBits }

    /// Adds the finite encoding `bits` exactly.
    public mutating func add(_ bits: UInt64) {
        let (sig, exp) = format.finiteParts(bits)
        guard sig != 0 else { return }
        addShifted(sig, by: exp - lsbExponent, negative: format.sign(bits))
    }

    /// Whether the sum is zero.
    public var isZero: Bool { words.allSatisfy { $0 == 0 } }

    /// `hi = RN(sum)` and `lo = RN(sum - hi)` in `w` (round to nearest even; `+0` for zero):
    /// `hi + lo` is the sum to within `2^-(w.precision)` of `|sum - hi|`.
    ///
    /// - Precondition: every value of the sum's range is a normal number of `w`.
    public func split(into w: FloatFormat) -> (hi: UInt64, lo: UInt64) {
        var rest = self
        let hi = rest.rounded(to: w)
        guard hi != 0 else { return (0, 0) }
        let (sig, exp) = w.finiteParts(hi)
        let shift = exp - lsbExponent
        // `hi` has no bits below the sum's least significant one: a right shift drops zeros only.
        rest.addShifted(shift >= 0 ? sig : sig >> UInt64(-shift), by: max(shift, 0), negative: !w.sign(hi))
        return (hi, rest.rounded(to: w))
    }

    /// The sum rounded to nearest even in `w` (`+0` for zero).
    private func rounded(to w: FloatFormat) -> UInt64 {
        let negative = words[words.count - 1] >> 63 != 0
        let magnitude = negative ? Self.negated(words) : words
        guard let top = magnitude.lastIndex(where: { $0 != 0 }) else { return 0 }
        let msb = top * 64 + 63 - magnitude[top].leadingZeroBitCount
        // The top 64 bits, the ones below jammed into bit 0.
        let low = max(0, msb - 63)
        var sig = Self.bits(magnitude, from: low)
        if Self.anyBit(magnitude, below: low) { sig |= 1 }
        return w.roundPack(sign: negative, sig: sig, exp: lsbExponent + low, .nearestEven)
    }

    private mutating func addShifted(_ sig: UInt64, by shift: Int, negative: Bool) {
        var term = [UInt64](repeating: 0, count: words.count)
        let word = shift / 64, offset = shift % 64
        term[word] = sig << UInt64(offset)
        if offset != 0, word + 1 < term.count { term[word + 1] = sig >> UInt64(64 - offset) }
        if negative { term = Self.negated(term) }
        var carry: UInt64 = 0
        for i in words.indices {
            let (s1, c1) = words[i].addingReportingOverflow(term[i])
            let (s2, c2) = s1.addingReportingOverflow(carry)
            words[i] = s2
            carry = (c1 ? 1 : 0) + (c2 ? 1 : 0)
        }
    }

    private static func negated(_ x: [UInt64]) -> [UInt64] {
        var out = x.map { ~$0 }
        for i in out.indices {
            let (s, overflow) = out[i].addingReportingOverflow(1)
            out[i] = s
            if !overflow { break }
        }
        return out
    }

    /// The 64 bits of `x` from bit `low` up.
    private static func bits(_ x: [UInt64], from low: Int) -> UInt64 {
        let word = low / 64, offset = low % 64
        var v = x[word] >> UInt64(offset)
        if offset != 0, word + 1 < x.count { v |= x[word + 1] << UInt64(64 - offset) }
        return v
    }

    private static func anyBit(_ x: [UInt64], below bit: Int) -> Bool {
        let word = bit / 64, offset = bit % 64
        if x[..<word].contains(where: { $0 != 0 }) { return true }
        return offset != 0 && x[word] & ((UInt64(1) << UInt64(offset)) - 1) != 0
    }
}
