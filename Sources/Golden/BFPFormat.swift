/// What each element of a BFP block holds.
public enum BFPElementKind: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A signed integer with `magnitudeBits` magnitude bits, stored in two's complement of width
    /// `magnitudeBits + 1` and read as a fixed-point number with one integer bit:
    /// value = int * 2^-(magnitudeBits-1) (MXINT8: 7 magnitude bits, value = int * 2^-6).
    /// The quantizer never produces the two's-complement minimum, so the range is symmetric.
    case int(magnitudeBits: Int)
    /// A small float (the MX element types, or any other width up to 16 bits).
    case float(FloatFormat)

    /// Encoding width of one element in bits.
    public var width: Int {
        switch self {
        case .int(let m): return m + 1
        case .float(let f): return f.width
        }
    }

    /// Unbiased exponent of the element's largest finite magnitude (emax_elem in the MX rule):
    /// 0 for integers (max < 2), the format's emax for floats.
    public var maxExponent: Int {
        switch self {
        case .int: return 0
        case .float(let f): return f.maxExponent
        }
    }

    /// `int:M` or `fp:E:M`, the CLI spelling.
    public var description: String {
        switch self {
        case .int(let m): return "int:\(m)"
        case .float(let f): return "fp:\(f.exponentBits):\(f.fractionBits)"
        }
    }

    /// Parses the CLI spelling `int:M` or `fp:E:M`. `fp:E:M` names the MX element format with those
    /// widths (E4M3 keeps its single NaN, E5M2 its IEEE specials); other widths are finite-only
    /// formats like FP6/FP4.
    public init(parsing text: String) throws(BFPFormatError) {
        let parts = text.lowercased().split(separator: ":").map(String.init)
        if parts.count == 2, parts[0] == "int", let m = Int(parts[1]) {
            self = .int(magnitudeBits: m)
        } else if parts.count == 3, parts[0] == "fp", let e = Int(parts[1]), let m = Int(parts[2]) {
            guard e >= 1 && e <= 8, m >= 0 && m <= 10 else {
                throw BFPFormatError("float element fp:\(e):\(m) needs 1...8 exponent bits and 0...10 fraction bits")
            }
            let named = [FloatFormat.e4m3, .e5m2, .e3m2, .e2m3, .e2m1]
            self = .float(named.first { $0.exponentBits == e && $0.fractionBits == m }
                ?? FloatFormat(name: "e\(e)m\(m)", exponentBits: e, fractionBits: m, specials: .finiteOnly))
        } else {
            throw BFPFormatError("element kind '\(text)' is not int:M or fp:E:M")
        }
        try validate()
    }

    func validate() throws(BFPFormatError) {
        switch self {
        case .int(let m):
            guard m >= 1 && m <= 31 else {
                throw BFPFormatError("integer elements need 1...31 magnitude bits, got \(m)")
            }
        case .float(let f):
            guard f.width <= 16 else {
                throw BFPFormatError("float elements must be at most 16 bits wide, \(f.name) is \(f.width)")
            }
        }
    }
}

/// How the shared exponent follows from the block's largest magnitude amax.
public enum BFPScaleRule: String, Sendable, Hashable, Codable, CaseIterable {
    /// OCP MX: shared = floor(log2 amax) - emax_elem; the largest element may saturate.
    case floor
    /// HBFP: shared = ceil(log2 amax) - emax_elem; elements never exceed 2^emax_elem, so never saturate.
    case ceil
}

/// How an element that falls between two representable values is rounded (on the magnitude;
/// every mode is symmetric in the sign).
public enum BFPRounding: String, Sendable, Hashable, Codable, CaseIterable {
    /// To nearest, ties to the even value (default).
    case nearestEven
    /// To nearest, ties away from zero (microxcaling's default, for MX compatibility).
    case nearestAway
    /// Truncation (LightNorm's simulator).
    case towardZero
    /// Up with probability equal to the truncated fraction, from the seeded ``LFSR32``: the top
    /// `stochasticBits` bits of the discarded part plus a fresh random word carry into the kept
    /// part. One draw per element, in stream order, including zeros and elements of NaN blocks.
    case stochastic

    /// The soft-float rounding mode this is, `nil` for stochastic rounding (BFP only).
    public var roundingMode: RoundingMode? {
        switch self {
        case .nearestEven: return .nearestEven
        case .nearestAway: return .nearestAway
        case .towardZero: return .towardZero
        case .stochastic: return nil
        }
    }
}

/// A block floating-point format: k elements sharing one E8M0 scale.
public struct BFPFormat: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Elements per block (k).
    public let blockSize: Int
    public let element: BFPElementKind
    public let rule: BFPScaleRule
    public let rounding: BFPRounding
    /// Treat subnormal source values as zeros (keeping their sign) before anything else.
    public let flushSubnormals: Bool
    /// Random bits drawn per element for stochastic rounding (1...32).
    public let stochasticBits: Int

    /// A format; throws for a block size outside 1...4096 or an element kind out of range.
    public init(blockSize: Int, element: BFPElementKind, rule: BFPScaleRule = .floor,
                rounding: BFPRounding = .nearestEven, flushSubnormals: Bool = false,
                stochasticBits: Int = 16) throws(BFPFormatError) {
        guard blockSize >= 1 && blockSize <= 4096 else {
            throw BFPFormatError("block size must be in 1...4096, got \(blockSize)")
        }
        guard stochasticBits >= 1 && stochasticBits <= 32 else {
            throw BFPFormatError("stochastic rounding draws 1...32 random bits, got \(stochasticBits)")
        }
        try element.validate()
        self.blockSize = blockSize
        self.element = element
        self.rule = rule
        self.rounding = rounding
        self.flushSubnormals = flushSubnormals
        self.stochasticBits = stochasticBits
    }

    /// The same format with another rounding mode.
    public func with(rounding: BFPRounding) -> BFPFormat {
        // Every other field was already validated.
        try! BFPFormat(blockSize: blockSize, element: element, rule: rule, rounding: rounding,
                       flushSubnormals: flushSubnormals, stochasticBits: stochasticBits)
    }

    public var description: String {
        "k=\(blockSize) \(element) \(rule.rawValue) \(rounding.rawValue)"
            + (flushSubnormals ? " flush" : "")
            + (rounding == .stochastic ? " sr\(stochasticBits)" : "")
    }

    /// The named presets: the OCP MX formats (k = 32, floor rule, nearest-even) and `hbfp8`
    /// (HBFP style: k = 16, 8-bit integer elements, ceil rule).
    public static let presets: [(name: String, format: BFPFormat)] = [
        ("mxint8", try! BFPFormat(blockSize: 32, element: .int(magnitudeBits: 7))),
        ("mxfp8-e4m3", try! BFPFormat(blockSize: 32, element: .float(.e4m3))),
        ("mxfp8-e5m2", try! BFPFormat(blockSize: 32, element: .float(.e5m2))),
        ("mxfp6-e3m2", try! BFPFormat(blockSize: 32, element: .float(.e3m2))),
        ("mxfp6-e2m3", try! BFPFormat(blockSize: 32, element: .float(.e2m3))),
        ("mxfp4-e2m1", try! BFPFormat(blockSize: 32, element: .float(.e2m1))),
        ("hbfp8", try! BFPFormat(blockSize: 16, element: .int(magnitudeBits: 7), rule: .ceil)),
    ]

    /// The preset with this name, or a clear error listing the names.
    public static func preset(named name: String) throws(BFPFormatError) -> BFPFormat {
        guard let p = presets.first(where: { $0.name == name.lowercased() }) else {
            throw BFPFormatError("unknown BFP preset '\(name)'; known: "
                + presets.map(\.name).joined(separator: ", "))
        }
        return p.format
    }
}

/// A BFP format, block or stream that cannot be used, with the reason.
public struct BFPFormatError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
