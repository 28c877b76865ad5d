/// IEEE 754 rounding-direction attributes, plus ties-away (OCP MX / microxcaling's default).
public enum RoundingMode: String, Sendable, CaseIterable, Codable {
    /// Round to nearest, ties to the even significand (IEEE 754 default).
    case nearestEven
    /// Round to nearest, ties away from zero.
    case nearestAway
    /// Truncate toward zero.
    case towardZero
    /// Toward +infinity.
    case up
    /// Toward -infinity.
    case down
}

/// The result of comparing two encodings; NaN compares unordered with everything, `-0 == +0`.
public enum FloatOrder: String, Sendable, Hashable, Codable {
    case less, equal, greater, unordered
}

/// IEEE 754 `class` of an encoding. Formats without NaN or infinity never produce those cases;
/// E4M3's single NaN encoding is quiet.
public enum FloatClass: String, Sendable, Hashable, CaseIterable, Codable {
    case signalingNaN, quietNaN
    case negativeInfinity, negativeNormal, negativeSubnormal, negativeZero
    case positiveZero, positiveSubnormal, positiveNormal, positiveInfinity
}
