/// Input distributions of the precision report.
public enum PrecisionDistribution: String, Sendable, Hashable, CaseIterable, Codable {
    /// N(0, 1).
    case normal
    /// N(100, 1): a large common offset (mu >> sigma), so the mean subtraction cancels.
    case shifted
    /// Student-t with 3 degrees of freedom, and 1 element in 200 (on average) scaled by a factor
    /// uniform in [20, 100): outlier channels as in LLM activations.
    case heavyTailed = "heavy_tailed"

    /// `d` samples drawn from `rng`.
    public func sample(_ d: Int, _ rng: inout SeededRandom) -> [Double] {
        switch self {
        case .normal:
            return (0..<d).map { _ in rng.nextNormal() }
        case .shifted:
            return (0..<d).map { _ in rng.nextNormal(mean: 100, stddev: 1) }
        case .heavyTailed:
            return (0..<d).map { _ in
                let base = rng.nextStudentT(nu: 3)
                return rng.next() % 200 == 0 ? base * (20 + 80 * rng.nextUnit()) : base
            }
        }
    }
}
