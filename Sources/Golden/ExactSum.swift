/// An exact sum of binary64 values, kept as a nonoverlapping expansion (Shewchuk, "Adaptive
/// precision floating-point arithmetic", 1997): the sum of `terms` is the exact sum of everything
/// added, with no rounding at all, as long as no intermediate overflows.
///
/// The FP64 reference needs it for the mean: `x_i - fl(sum / d)` loses the rounding error of the
/// mean, `2^-53 |mean|`, which is the whole of `x_i - mean` when the inputs differ by a few ulps
/// of a narrower format (`d (x_i - mean)` computed from an exact sum has no such error).
public struct ExactSum: Sendable, Hashable {
    /// Nonoverlapping components in increasing magnitude, no zeros.
    public private(set) var terms: [Double] = []

    public init() {}

    public init(_ values: [Double]) {
        for v in values { add(v) }
    }

    /// Adds `v` exactly (Shewchuk's GROW-EXPANSION with zero elimination).
    public mutating func add(_ v: Double) {
        var q = v
        var out: [Double] = []
        out.reserveCapacity(terms.count + 1)
        for t in terms {
            let (s, e) = Self.twoSum(q, t)
            if e != 0 { out.append(e) }
            q = s
        }
        if q != 0 { out.append(q) }
        terms = out
    }

    /// Adds the exact product `a * b` (two components by a fused multiply-add).
    public mutating func addProduct(_ a: Double, _ b: Double) {
        let p = a * b
        add((-p).addingProduct(a, b))
        add(p)
    }

    /// Adds every term of `other`.
    public mutating func add(_ other: ExactSum) {
        for t in other.terms { add(t) }
    }

    /// The exact negation.
    public var negated: ExactSum {
        var n = ExactSum()
        n.terms = terms.map { -$0 }
        return n
    }

    /// The sum rounded to binary64 to within an ulp or so: the components are nonoverlapping, so
    /// adding them from the smallest up loses at most a few roundings of the result.
    public var value: Double { terms.reduce(0, +) }

    /// `a + b = s + e` exactly (Knuth's TwoSum: no ordering precondition).
    static func twoSum(_ a: Double, _ b: Double) -> (Double, Double) {
        let s = a + b
        let bv = s - a
        let av = s - bv
        return (s, (a - av) + (b - bv))
    }
}
