/// The points no other point beats on two costs at once (both minimized): a point is on the
/// front unless another is at most as costly on both and cheaper on one.
public enum ParetoFront {
    /// Indices of `costs` on the front, in input order. Non-finite costs are never on it.
    public static func indices(_ costs: [(Double, Double)]) -> [Int] {
        costs.indices.filter { i in
            let (a, b) = costs[i]
            guard a.isFinite && b.isFinite else { return false }
            return !costs.indices.contains { j in
                let (c, d) = costs[j]
                return j != i && c.isFinite && d.isFinite && c <= a && d <= b && (c < a || d < b)
            }
        }
    }
}
