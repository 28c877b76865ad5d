/// The FP64 reference every in-format normalization is measured against.
///
/// Written as the spec states it: z = gamma * sqrt(d) * y / ||y||_2 + beta with y = x - mean(x)
/// (LayerNorm) or y = x (RMSNorm), and ||y||^2 + d*eps under the root when eps > 0 (PyTorch's
/// `var + eps`). An all-equal vector (||y|| = 0, eps = 0) yields beta (0 without beta); a NaN or
/// infinity anywhere makes every output NaN.
public enum ReferenceNorm {
    /// Normalizes `x` in binary64. `gamma`/`beta`, when given, must have `x.count` elements.
    public static func normalize(
        _ x: [Double], mode: IterNormMode = .layerNorm, gamma: [Double]? = nil, beta: [Double]? = nil,
        eps: Double = 0
    ) -> [Double] {
        precondition(gamma == nil || gamma!.count == x.count, "gamma must match x")
        precondition(beta == nil || beta!.count == x.count, "beta must match x")
        let d = x.count
        if d == 0 { return [] }
        if x.contains(where: { !$0.isFinite }) { return Array(repeating: .nan, count: d) }
        // LayerNorm centres by w_i = d x_i - sum(x), exact before one rounding to binary64 (the
        // sum kept as an exact expansion): x_i - fl(sum / d) would carry the mean's own rounding
        // error, 2^-53 |mean|, which is all of x_i - mean when the inputs differ by a few ulps of
        // a narrower format. sqrt(d) w / ||w|| is the normalized vector because the d cancels;
        // eps on the variance of x is d^2 eps on that of w.
        let centred = mode == .layerNorm
        // d x_i must not overflow: scale huge inputs down by a power of two (exact but for
        // values below 2^-974, far below anything that changes the result), and eps with them.
        let huge = x.contains { Swift.abs($0) > 0x1p960 }
        let xs = huge ? x.map { $0 * 0x1p-100 } : x
        let negatedSum = centred ? ExactSum(xs).negated : ExactSum()
        let y: [Double] = centred
            ? xs.map { v in
                var w = negatedSum
                w.addProduct(Double(d), v)
                return w.value
            }
            : xs
        let epsScale = (centred ? Double(d) * Double(d) : 1) * (huge ? 0x1p-200 : 1)
        // Scale by the largest magnitude first so that the squares cannot overflow.
        let largest = y.reduce(0) { Swift.max($0, Swift.abs($1)) }
        if largest == 0 && eps == 0 { return beta ?? Array(repeating: 0, count: d) }
        let scale = largest == 0 ? 1 : largest
        var s = compensatedSum(y.map { ($0 / scale) * ($0 / scale) })
        if eps > 0 { s += Double(d) * eps * epsScale / scale / scale }
        let factor = Double(d).squareRoot() / s.squareRoot()
        var z = [Double](repeating: 0, count: d)
        for i in 0..<d {
            z[i] = (gamma?[i] ?? 1) * ((y[i] / scale) * factor) + (beta?[i] ?? 0)
        }
        return z
    }

    /// Neumaier's compensated sum.
    static func compensatedSum(_ values: [Double]) -> Double {
        var sum = 0.0, compensation = 0.0
        for v in values {
            let t = sum + v
            compensation += Swift.abs(sum) >= Swift.abs(v) ? (sum - t) + v : (v - t) + sum
            sum = t
        }
        return sum + compensation
    }
}
