/// The hardware type of a signal or expression: a width in bits and a signedness.
///
/// `Bool` is the 1-bit unsigned type, raw bits are unsigned. Signedness is part of the type:
/// arithmetic and comparisons never mix signed and unsigned operands.
public struct HWType: Sendable, Hashable, CustomStringConvertible {
    public var width: Int
    public var isSigned: Bool

    public init(width: Int, isSigned: Bool) {
        self.width = width
        self.isSigned = isSigned
    }

    /// One bit, unsigned.
    public static let bool = HWType(width: 1, isSigned: false)
    /// Unsigned integer of `width` bits.
    public static func uint(_ width: Int) -> HWType { HWType(width: width, isSigned: false) }
    /// Two's-complement signed integer of `width` bits.
    public static func sint(_ width: Int) -> HWType { HWType(width: width, isSigned: true) }
    /// Raw bits (unsigned) of `width` bits.
    public static func bits(_ width: Int) -> HWType { HWType(width: width, isSigned: false) }

    public var description: String { "\(width)-bit \(isSigned ? "signed" : "unsigned")" }
}
