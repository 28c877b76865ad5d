/// What simulators and testbenches need from `BitVector` beyond constants: unsigned 64-bit
/// values, hex parsing and signed reads.
extension BitVector {
    /// `value` in `width` bits (higher bits dropped).
    public init(_ value: UInt64, width: Int) {
        self.init(words: [value], width: width)
    }

    /// Parses hexadecimal digits (underscores allowed, optional `0x`); `nil` on a bad digit
    /// (including `x`/`z`) or a value that needs more than `width` bits.
    public init?(hex: String, width: Int) {
        var digits = Substring(hex)
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
        var words = [UInt64](repeating: 0, count: max(1, (width + 63) / 64))
        var bit = 0
        for character in digits.reversed() where character != "_" {
            guard let nibble = character.hexDigitValue else { return nil }
            if nibble != 0 {
                // Digits start at multiples of 4, so a nibble never straddles two words.
                guard bit + (64 - UInt64(nibble).leadingZeroBitCount) <= width else { return nil }
                words[bit / 64] |= UInt64(nibble) << UInt64(bit % 64)
            }
            bit += 4
        }
        self.init(words: words, width: width)
    }

    /// The value read as two's complement, for widths 1...64.
    public var signedValue: Int64? {
        guard width >= 1, width <= 64 else { return nil }
        let shift = UInt64(64 - width)
        return Int64(bitPattern: words[0] << shift) >> Int64(shift)
    }
}
