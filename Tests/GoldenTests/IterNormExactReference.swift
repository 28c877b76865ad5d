import Golden

/// LayerNorm / RMSNorm with the centring done exactly in integers: every input is an integer
/// multiple of the smallest input ulp, so `d x_i - sum(x)` is an exact `Int128`, and only the
/// final `sqrt(d / sum W^2)` scaling is FP64 (relative error ~2^-50, far below any output ulp
/// here). Independent of the wide mode's op order, whose faithfulness it checks.
enum IterNormExactReference {
    /// The normalized values (no gamma or beta), or `nil` when the inputs span too many binades
    /// for 128-bit integers, or contain a NaN or infinity.
    static func normalize(_ x: [UInt64], format f: FloatFormat, mode: IterNormMode, eps: Double = 0) -> [Double]? {
        guard x.allSatisfy(f.isFinite) else { return nil }
        // x_i = m_i 2^(e_i): integer significand and the exponent of its last bit.
        let parts = x.map { bits -> (m: Int128, e: Int) in
            let field = Int(f.exponentField(bits))
            let significand = Int128(f.fractionField(bits)) | (field == 0 ? 0 : Int128(1) << f.fractionBits)
            let e = max(field, 1) - f.bias - f.fractionBits
            return (f.sign(bits) ? -significand : significand, e)
        }
        let nonzero = parts.filter { $0.m != 0 }
        guard let eMin = nonzero.map(\.e).min(), let eMax = nonzero.map(\.e).max() else { return nil }
        let d = Int128(x.count)
        // |d x_i - sum| < 2 d 2^(span + precision): keep it below 2^126.
        guard eMax - eMin + f.precision + 2 * (Int.bitWidth - x.count.leadingZeroBitCount) + 2 < 126 else { return nil }
        let integers = parts.map { $0.m << (Int128($0.e - eMin)) }
        let sum = integers.reduce(0, +)
        let w = integers.map { mode == .layerNorm ? d * $0 - sum : $0 }
        // Every W_i is exact; scale by the largest so FP64 holds the squares.
        let largest = w.map { abs(Double($0)) }.max() ?? 0
        guard largest > 0 else { return [Double](repeating: 0, count: x.count) }
        let scaled = w.map { Double($0) / largest }
        var q = 0.0, compensation = 0.0
        for v in scaled.map({ $0 * $0 }) {
            let t = q + v
            compensation += abs(q) >= abs(v) ? (q - t) + v : (v - t) + q
            q = t
        }
        q += compensation
        if eps > 0 {
            // eps is on the variance of x: in W units (W = d (x - mean) / 2^eMin) it is d^3 eps.
            let epsW = Double(x.count) * eps / (largest * largest) * (Double(sign: .plus, exponent: -2 * eMin, significand: 1))
            q += mode == .layerNorm ? epsW * Double(x.count) * Double(x.count) : epsW
        }
        let factor = Double(x.count).squareRoot() / q.squareRoot()
        return scaled.map { $0 * factor }
    }
}
