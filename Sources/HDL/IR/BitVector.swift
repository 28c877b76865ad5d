/// A fixed-width bit pattern of any width: constant values, reset values and case labels.
///
/// Words are little-endian (`words[0]` holds bits 63:0); bits above `width` are always zero, so
/// two vectors of the same width and value compare equal.
public struct BitVector: Sendable, Hashable, CustomStringConvertible {
    public let width: Int
    public private(set) var words: [UInt64]

    /// All zeros.
    public init(width: Int) {
        self.width = max(width, 0)
        self.words = Array(repeating: 0, count: max(1, (self.width + 63) / 64))
    }

    /// The two's-complement pattern of `value` in `width` bits (higher bits dropped; use
    /// `fits(_:width:signed:)` first to reject values that do not fit).
    public init(_ value: Int, width: Int) {
        self.init(width: width)
        for index in words.indices {
            let shift = index * 64
            words[index] = shift >= 64 ? (value < 0 ? ~0 : 0) : UInt64(bitPattern: Int64(value))
        }
        maskTop()
    }

    /// Builds a vector from little-endian 64-bit words (extra bits dropped).
    public init(words: [UInt64], width: Int) {
        self.init(width: width)
        for index in self.words.indices where index < words.count { self.words[index] = words[index] }
        maskTop()
    }

    /// Whether `value` is representable in `width` bits, as two's complement when `signed`.
    public static func fits(_ value: Int, width: Int, signed: Bool) -> Bool {
        guard width > 0 else { return false }
        if signed {
            if width >= 64 { return true }
            let limit = 1 << (width - 1)
            return value >= -limit && value < limit
        }
        if value < 0 { return false }
        return width >= 63 || value < (1 << width)
    }

    private mutating func maskTop() {
        let rem = width % 64
        if rem != 0 { words[words.count - 1] &= (UInt64(1) << UInt64(rem)) - 1 }
        if width == 0 { words[0] = 0 }
    }

    /// Bit `index` (0 = least significant); false outside the width.
    public func bit(_ index: Int) -> Bool {
        guard index >= 0, index < width else { return false }
        return (words[index / 64] >> UInt64(index % 64)) & 1 == 1
    }

    /// The low 64 bits.
    public var low64: UInt64 { words[0] }

    /// Whether every bit is zero.
    public var isZero: Bool { words.allSatisfy { $0 == 0 } }

    /// Hexadecimal digits without prefix, most significant first, `(width+3)/4` digits.
    public var hexDigits: String {
        let digits = max(1, (width + 3) / 4)
        var out = ""
        out.reserveCapacity(digits)
        for d in stride(from: digits - 1, through: 0, by: -1) {
            let bitIndex = d * 4
            let nibble = (words[bitIndex / 64] >> UInt64(bitIndex % 64)) & 0xF
            out.append(Character(String(nibble, radix: 16)))
        }
        return out
    }

    public var description: String { "\(width)'h\(hexDigits)" }
}
