/// The wide mode's seed: a small table of `g ~ 1/sqrt(u)` for the iterations' start value
/// `u = s / 4^e0` in [1/2, 2), indexed by the parity of `E(s)` and the top `indexBits` fraction
/// bits of `s`.
///
/// The exponent-only start of the default mode leaves u anywhere in [1/2, 2): Newton's method
/// then needs 5 steps to reach 2^-21 (worst case), which is not below an FP32 ulp. The table
/// starts every u within 2^-5 (relative), so K = 4 steps reach 2^-71 and K = 5 is converged to
/// the accumulate format's rounding (docs/precision.md, "The seed").
public enum IterNormSeed {
    /// Fraction bits of `s` in the index (besides the exponent's parity): 2^(indexBits + 1) entries.
    public static let indexBits = 3
    /// Each `g` is a multiple of 2^-gridBits: `g^2` has at most 2 (gridBits + 1) significant bits.
    public static let gridBits = 8

    /// One table entry: `g` and `fl(g * g)` in the accumulate format.
    public struct Entry: Sendable, Hashable {
        public let g: UInt64
        public let gSquared: UInt64
    }

    /// The 2^(indexBits + 1) entries in format `a`, in index order (see `index(of:in:)`).
    public static func table(in a: FloatFormat) -> [Entry] {
        (0..<(2 << indexBits)).map { index in
            let odd = index >> indexBits == 1
            let scale = odd ? 0.5 : 1.0
            let step = scale / Double(1 << indexBits)
            let lo = scale + Double(index & ((1 << indexBits) - 1)) * step, hi = lo + step
            // Equal relative error at both ends of [lo, hi): g sqrt(lo) - 1 = 1 - g sqrt(hi).
            let exact = 2 / (lo.squareRoot() + hi.squareRoot())
            let grid = Double(1 << gridBits)
            let g = a.fromDouble((exact * grid).rounded() / grid)
            return Entry(g: g, gSquared: a.mul(g, g))
        }
    }

    /// The table index of a positive, finite, normal `s` in format `a`: the parity of its
    /// unbiased exponent (1 when odd: u = 1.f / 2) above its top `indexBits` fraction bits.
    public static func index(of s: UInt64, in a: FloatFormat) -> Int {
        let parity = (Int(a.exponentField(s)) - a.bias) & 1
        let top = Int(a.fractionField(s) >> UInt64(a.fractionBits - indexBits))
        return parity << indexBits | top
    }
}
