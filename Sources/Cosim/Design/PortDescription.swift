import Golden

/// Which way a port carries data, seen from the design.
public enum PortDirection: String, Sendable, Hashable, Codable {
    case input, output
}

/// One port of a top-level module as the simulators see it: a flat bit vector.
///
/// Every backend (IR simulator, Verilator, Icarus) addresses ports by these names; widths of any
/// size are allowed, a 2048-bit lane bus included.
public struct PortDescription: Sendable, Hashable, Codable, CustomStringConvertible {
    public let name: String
    public let width: Int
    public let direction: PortDirection
    /// Whether the port holds a two's-complement number; only affects how reports print values.
    public let isSigned: Bool
    /// The floating-point format the port carries, if any: mismatch reports then decode values
    /// (sign, exponent, fraction, value), lane by lane when the port is a bus of several.
    public let floatFormat: FloatFormat?

    public init(_ name: String, width: Int, _ direction: PortDirection, isSigned: Bool = false,
                floatFormat: FloatFormat? = nil) {
        self.name = name
        self.width = width
        self.direction = direction
        self.isSigned = isSigned
        self.floatFormat = floatFormat
    }

    /// An input port.
    public static func input(_ name: String, width: Int, isSigned: Bool = false,
                             floatFormat: FloatFormat? = nil) -> PortDescription {
        PortDescription(name, width: width, .input, isSigned: isSigned, floatFormat: floatFormat)
    }

    /// An output port.
    public static func output(_ name: String, width: Int, isSigned: Bool = false,
                              floatFormat: FloatFormat? = nil) -> PortDescription {
        PortDescription(name, width: width, .output, isSigned: isSigned, floatFormat: floatFormat)
    }

    /// Number of 64-bit words a value of this port occupies.
    public var wordCount: Int { (width + 63) / 64 }

    public var description: String {
        "\(direction.rawValue) [\(width - 1):0] \(name)" + (isSigned ? " (signed)" : "")
            + (floatFormat.map { " (\($0.name))" } ?? "")
    }
}
