/// How a binary floating-point format spends its largest exponent field on special values.
public enum SpecialEncoding: String, Sendable, Hashable, Codable {
    /// IEEE 754: exponent field all ones is infinity (fraction 0) or NaN (fraction != 0).
    case ieee
    /// OCP MX E4M3 style: no infinity; only the all-ones exponent *and* all-ones fraction is NaN,
    /// every other all-ones-exponent encoding is a normal number.
    case nanOnlyAllOnes
    /// OCP MX FP6/FP4 style: every encoding is a finite number; no infinity, no NaN.
    case finiteOnly
}

/// A binary floating-point format: 1 sign bit, `exponentBits` biased exponent, `fractionBits`
/// stored fraction (hidden leading one for normals), subnormals at exponent field 0.
///
/// This is the plain numeric description shared by the golden models and the circuit generators;
/// it says nothing about arithmetic.
public struct FloatFormat: Sendable, Hashable, Codable, CustomStringConvertible {
    public let name: String
    public let exponentBits: Int
    public let fractionBits: Int
    public let specials: SpecialEncoding

    /// A format with the given field widths. Widths must fit an encoding in 64 bits.
    public init(name: String, exponentBits: Int, fractionBits: Int, specials: SpecialEncoding = .ieee) {
        precondition(exponentBits >= 1 && exponentBits <= 15, "exponentBits must be in 1...15")
        precondition(fractionBits >= 0 && 1 + exponentBits + fractionBits <= 64,
                     "format must fit in 64 bits")
        self.name = name
        self.exponentBits = exponentBits
        self.fractionBits = fractionBits
        self.specials = specials
    }

    public var description: String { name }

    /// Total encoding width in bits.
    @inlinable @inline(__always)
    public var width: Int { 1 + exponentBits + fractionBits }
    /// Significand precision including the hidden bit.
    @inlinable @inline(__always)
    public var precision: Int { fractionBits + 1 }
    /// Exponent bias, 2^(e-1) - 1.
    @inlinable @inline(__always)
    public var bias: Int { (1 << (exponentBits - 1)) - 1 }
    /// The all-ones exponent field value.
    @inlinable @inline(__always)
    public var maxExponentField: UInt64 { (UInt64(1) << UInt64(exponentBits)) - 1 }
    /// Largest exponent field that encodes a finite normal number.
    @inlinable @inline(__always)
    public var maxFiniteExponentField: UInt64 {
        specials == .ieee ? maxExponentField - 1 : maxExponentField
    }
    /// Unbiased exponent of the largest finite number (emax).
    @inlinable @inline(__always)
    public var maxExponent: Int { Int(maxFiniteExponentField) - bias }
    /// Unbiased exponent of the smallest normal number (emin = 1 - bias).
    @inlinable @inline(__always)
    public var minExponent: Int { 1 - bias }
    @inlinable @inline(__always)
    public var hasInfinity: Bool { specials == .ieee }
    @inlinable @inline(__always)
    public var hasNaN: Bool { specials != .finiteOnly }

    @inlinable @inline(__always)
    public var signMask: UInt64 { UInt64(1) << UInt64(exponentBits + fractionBits) }
    @inlinable @inline(__always)
    public var fractionMask: UInt64 { (UInt64(1) << UInt64(fractionBits)) - 1 }
    @inlinable @inline(__always)
    public var encodingMask: UInt64 { width == 64 ? ~0 : (UInt64(1) << UInt64(width)) - 1 }

    /// Sign bit of an encoding.
    @inlinable @inline(__always)
    public func sign(_ bits: UInt64) -> Bool { bits & signMask != 0 }
    /// Biased exponent field of an encoding.
    @inlinable @inline(__always)
    public func exponentField(_ bits: UInt64) -> UInt64 {
        (bits >> UInt64(fractionBits)) & maxExponentField
    }
    /// Stored fraction field of an encoding.
    @inlinable @inline(__always)
    public func fractionField(_ bits: UInt64) -> UInt64 { bits & fractionMask }
    /// Assembles an encoding from its fields (fields are masked to their widths).
    @inlinable @inline(__always)
    public func encode(sign: Bool, exponentField: UInt64, fractionField: UInt64) -> UInt64 {
        (sign ? signMask : 0)
            | ((exponentField & maxExponentField) << UInt64(fractionBits))
            | (fractionField & fractionMask)
    }

    /// The encoding of the largest finite magnitude with the given sign.
    @inlinable @inline(__always)
    public func maxFinite(sign: Bool) -> UInt64 {
        let frac: UInt64 = specials == .nanOnlyAllOnes ? fractionMask - 1 : fractionMask
        return encode(sign: sign, exponentField: maxFiniteExponentField, fractionField: frac)
    }
    /// The canonical quiet NaN (positive sign, top fraction bit set; all-ones for E4M3-style).
    /// `nil` for formats without NaN.
    @inlinable @inline(__always)
    public var canonicalNaN: UInt64? {
        switch specials {
        case .ieee:
            return encode(sign: false, exponentField: maxExponentField,
                          fractionField: fractionBits > 0 ? UInt64(1) << UInt64(fractionBits - 1) : 0)
        case .nanOnlyAllOnes:
            return encode(sign: false, exponentField: maxExponentField, fractionField: fractionMask)
        case .finiteOnly:
            return nil
        }
    }
    /// Infinity with the given sign, or `nil` when the format has none.
    @inlinable @inline(__always)
    public func infinity(sign: Bool) -> UInt64? {
        hasInfinity ? encode(sign: sign, exponentField: maxExponentField, fractionField: 0) : nil
    }

    @inlinable @inline(__always)
    public func isNaN(_ bits: UInt64) -> Bool {
        switch specials {
        case .ieee: return exponentField(bits) == maxExponentField && fractionField(bits) != 0
        case .nanOnlyAllOnes:
            return exponentField(bits) == maxExponentField && fractionField(bits) == fractionMask
        case .finiteOnly: return false
        }
    }
    @inlinable @inline(__always)
    public func isInfinite(_ bits: UInt64) -> Bool {
        specials == .ieee && exponentField(bits) == maxExponentField && fractionField(bits) == 0
    }
    @inlinable @inline(__always)
    public func isZero(_ bits: UInt64) -> Bool { bits & ~signMask & encodingMask == 0 }
    @inlinable @inline(__always)
    public func isSubnormal(_ bits: UInt64) -> Bool {
        exponentField(bits) == 0 && fractionField(bits) != 0
    }
    @inlinable @inline(__always)
    public func isFinite(_ bits: UInt64) -> Bool { !isNaN(bits) && !isInfinite(bits) }

    // MARK: Named instances

    public static let fp32 = FloatFormat(name: "fp32", exponentBits: 8, fractionBits: 23)
    public static let fp16 = FloatFormat(name: "fp16", exponentBits: 5, fractionBits: 10)
    public static let bf16 = FloatFormat(name: "bf16", exponentBits: 8, fractionBits: 7)
    public static let fp64 = FloatFormat(name: "fp64", exponentBits: 11, fractionBits: 52)
    /// OCP MX FP8 E4M3: max 448, no infinity, NaN = S.1111.111.
    public static let e4m3 = FloatFormat(name: "e4m3", exponentBits: 4, fractionBits: 3,
                                         specials: .nanOnlyAllOnes)
    /// OCP MX FP8 E5M2: IEEE-style specials, max 57344.
    public static let e5m2 = FloatFormat(name: "e5m2", exponentBits: 5, fractionBits: 2)
    /// OCP MX FP6 E3M2: max 28, no infinity, no NaN.
    public static let e3m2 = FloatFormat(name: "e3m2", exponentBits: 3, fractionBits: 2,
                                         specials: .finiteOnly)
    /// OCP MX FP6 E2M3: max 7.5, no infinity, no NaN.
    public static let e2m3 = FloatFormat(name: "e2m3", exponentBits: 2, fractionBits: 3,
                                         specials: .finiteOnly)
    /// OCP MX FP4 E2M1: max 6, no infinity, no NaN.
    public static let e2m1 = FloatFormat(name: "e2m1", exponentBits: 2, fractionBits: 1,
                                         specials: .finiteOnly)

    /// Every named format, for lookup by name (CLI `--format`).
    public static let named: [FloatFormat] = [.fp32, .fp16, .bf16, .fp64, .e4m3, .e5m2, .e3m2, .e2m3, .e2m1]

    /// The named format with this name (case-insensitive), or `nil`.
    public static func named(_ name: String) -> FloatFormat? {
        named.first { $0.name == name.lowercased() }
    }
}
