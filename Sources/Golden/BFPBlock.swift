/// One quantized block: an E8M0 shared scale and k element encodings.
public struct BFPBlock: Sendable, Hashable, Codable {
    /// E8M0 scale field: value 2^(scale - 127); 255 is NaN (the whole block decodes as NaN).
    public var scale: UInt8
    /// Element encodings, each in the low ``BFPElementKind/width`` bits.
    public var elements: [UInt64]

    public init(scale: UInt8, elements: [UInt64]) {
        self.scale = scale
        self.elements = elements
    }

    /// The E8M0 NaN field.
    public static let nanScale: UInt8 = 255
    /// Bias of the E8M0 scale.
    public static let scaleBias = 127

    public var isNaN: Bool { scale == Self.nanScale }
    /// The shared exponent (scale - 127), or `nil` for a NaN scale.
    public var sharedExponent: Int? { isNaN ? nil : Int(scale) - Self.scaleBias }
}
