import HDL

/// One output that differed from its expected value.
public struct Mismatch: Sendable, Hashable {
    /// Index of the vector (or, for `Testbench`, of the check) that failed.
    public let vector: Int
    /// Rising clock edges simulated before the comparison.
    public let cycle: Int
    public let port: PortDescription
    public let expected: BitVector
    /// The design's value; `nil` when it had x or z bits (Icarus).
    public let actual: BitVector?
    /// The design's value in hex as the simulator printed it (may contain `x`/`z`).
    public let actualText: String

    public init(vector: Int, cycle: Int, port: PortDescription, expected: BitVector, actual: BitVector) {
        self.vector = vector
        self.cycle = cycle
        self.port = port
        self.expected = expected
        self.actual = actual
        actualText = actual.hexDigits
    }

    public init(vector: Int, cycle: Int, port: PortDescription, expected: BitVector, actualText: String) {
        self.vector = vector
        self.cycle = cycle
        self.port = port
        self.expected = expected
        self.actual = BitVector(hex: actualText, width: port.width)
        self.actualText = actualText
    }
}

/// The outcome of checking a design against expected values on one backend.
public struct CheckReport: Sendable, CustomStringConvertible {
    /// Which simulator produced it (`ir-sim`, `verilator`, `icarus`).
    public let backend: String
    public let design: String
    /// Comparisons that matched.
    public let passed: Int
    /// Comparisons that failed (all of them, not only the reported ones).
    public let failed: Int
    /// The first mismatches, at most the report limit.
    public let mismatches: [Mismatch]

    public init(backend: String, design: String, passed: Int, failed: Int, mismatches: [Mismatch]) {
        self.backend = backend
        self.design = design
        self.passed = passed
        self.failed = failed
        self.mismatches = mismatches
    }

    public var succeeded: Bool { failed == 0 }

    /// `N passed, M failed`, then each reported mismatch with decoded floating-point values.
    public var description: String { MismatchFormatter.format(self) }
}
