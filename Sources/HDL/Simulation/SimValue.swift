/// A two-state bit vector of any width: the value of a port or signal in every simulator backend.
///
/// Bits are kept in little-endian 64-bit words (word 0 holds bits 63:0); bits at and above
/// `width` are always zero.
public struct SimValue: Sendable, Hashable, CustomStringConvertible {
    public let width: Int
    public private(set) var words: [UInt64]

    /// `value` truncated to `width` bits (two's complement for negative numbers, sign-extended
    /// to the width first).
    public init(width: Int, _ value: Int) {
        precondition(width >= 1, "SimValue width must be positive")
        self.width = width
        words = Array(repeating: value < 0 ? ~0 : 0, count: (width + 63) / 64)
        words[0] = UInt64(bitPattern: Int64(value))
        normalize()
    }

    /// `value` truncated to `width` bits.
    public init(width: Int, _ value: UInt64) {
        precondition(width >= 1, "SimValue width must be positive")
        self.width = width
        words = Array(repeating: 0, count: (width + 63) / 64)
        words[0] = value
        normalize()
    }

    /// A value from little-endian words; missing words are zero, extra bits are dropped.
    public init(width: Int, words source: [UInt64]) {
        precondition(width >= 1, "SimValue width must be positive")
        self.width = width
        let count = (width + 63) / 64
        words = Array(source.prefix(count)) + Array(repeating: 0, count: max(0, count - source.count))
        normalize()
    }

    /// Parses hexadecimal digits (underscores allowed, optional `0x`); `nil` on a bad digit or
    /// a value that needs more than `width` bits.
    public init?(width: Int, hex: String) {
        precondition(width >= 1, "SimValue width must be positive")
        var digits = Substring(hex)
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
        var result = SimValue(width: width, UInt64(0))
        var bit = 0
        for character in digits.reversed() where character != "_" {
            guard let nibble = character.hexDigitValue else { return nil }
            if nibble != 0 {
                guard bit + (64 - UInt64(nibble).leadingZeroBitCount) <= width else { return nil }
                result.words[bit / 64] |= UInt64(nibble) << UInt64(bit % 64)
            }
            bit += 4
        }
        self = result
    }

    /// All zeros.
    public static func zero(width: Int) -> SimValue { SimValue(width: width, UInt64(0)) }

    /// The low 64 bits.
    public var low64: UInt64 { words[0] }

    /// The value as a signed number, for widths up to 64.
    public var signedValue: Int64? {
        guard width <= 64 else { return nil }
        let shift = UInt64(64 - width)
        return Int64(bitPattern: words[0] << shift) >> Int64(shift)
    }

    /// Bit `index` (0 = least significant).
    public subscript(bit index: Int) -> Bool {
        precondition(index >= 0 && index < width, "bit index out of range")
        return words[index / 64] >> UInt64(index % 64) & 1 == 1
    }

    /// Hex digits, exactly enough for the width, no prefix.
    public var hexDigits: String {
        let digitCount = (width + 3) / 4
        var text = ""
        text.reserveCapacity(digitCount)
        for digit in stride(from: digitCount - 1, through: 0, by: -1) {
            let bit = digit * 4
            // Digits start at multiples of 4, so a nibble never straddles two words.
            let nibble = words[bit / 64] >> UInt64(bit % 64)
            text.append(Character(String(nibble & 0xF, radix: 16)))
        }
        return text
    }

    /// Verilog-style literal: `16'h00ff`.
    public var description: String { "\(width)'h\(hexDigits)" }

    private mutating func normalize() {
        let spare = words.count * 64 - width
        if spare > 0 { words[words.count - 1] &= ~UInt64(0) >> UInt64(spare) }
    }
}
