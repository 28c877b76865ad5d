/// The naive in-format normalization: a square root, then a division per element.
public enum NaiveLayerNorm {
    /// LayerNorm or RMSNorm of `x` (encodings of `format`) the textbook way, each step rounded once:
    /// sum in `accumulate` (default FP32 for formats narrower than FP32), mean = sum / d,
    /// y_i = x_i - mean in `format`; s = sum of y_i^2 by fma in `accumulate`; var = s / d (+ eps);
    /// sigma = sqrt(var) converted to `format`; z_i = y_i / sigma, then * gamma_i, + beta_i.
    ///
    /// No pre-scaling: s may overflow in a narrow accumulator, and an all-equal vector divides
    /// 0 by 0 (NaN), exactly as the naive formula does. NaN or infinity in x gives all NaN.
    public static func normalize(
        _ x: [UInt64], format: FloatFormat, accumulate: FloatFormat? = nil, mode: NormMode = .layerNorm,
        gamma: [UInt64]? = nil, beta: [UInt64]? = nil, eps: Double = 0
    ) -> [UInt64] {
        let f = format
        guard let prefix = NormPrefix(x, format: f, accumulate: accumulate, mode: mode, meanByReciprocal: false)
        else { return Array(repeating: f.invalidResult, count: x.count) }
        let a = prefix.accumulate
        var variance = a.div(prefix.sumOfSquares(prefix.centred), a.fromInt(Int64(x.count)))
        if eps > 0 { variance = a.add(variance, a.fromDouble(eps)) }
        let sigma = a.convert(a.sqrt(variance), to: f)
        var z = prefix.centred.map { f.div($0, sigma) }
        if let gamma { for i in z.indices { z[i] = f.mul(z[i], gamma[i]) } }
        if let beta { for i in z.indices { z[i] = f.add(z[i], beta[i]) } }
        return z
    }
}
/// The steps every in-format normalization baseline shares before its 1/sqrt: centring the vector
/// and accumulating squares, each operation rounded once, in a fixed sequential order.
struct NormPrefix {
    let format: FloatFormat
    let accumulate: FloatFormat
    /// y = x - mean (LayerNorm) or x (RMSNorm), in `format`.
    let centred: [UInt64]

    /// The default accumulation format: FP32 for anything narrower, else the format itself.
    static func defaultAccumulate(for f: FloatFormat) -> FloatFormat {
        f.precision < FloatFormat.fp32.precision ? .fp32 : f
    }

    /// Centres `x`; `nil` when any element is NaN or infinite. The mean is sum/d by a division,
    /// or sum * fl(1/d) when `meanByReciprocal` (the divider-free hardware way).
    init?(_ x: [UInt64], format f: FloatFormat, accumulate: FloatFormat?, mode: NormMode,
          meanByReciprocal: Bool) {
        let a = accumulate ?? NormPrefix.defaultAccumulate(for: f)
        format = f
        self.accumulate = a
        if x.contains(where: { !f.isFinite($0) }) { return nil }
        guard mode == .layerNorm, !x.isEmpty else { centred = x; return }
        var sum: UInt64 = 0
        for v in x { sum = a.add(sum, f.convert(v, to: a)) }
        let mean = meanByReciprocal
            ? a.mul(sum, a.fromDouble(1 / Double(x.count)))
            : a.div(sum, a.fromInt(Int64(x.count)))
        let meanF = a.convert(mean, to: f)
        centred = x.map { f.sub($0, meanF) }
    }

    /// y * 2^-Emax with Emax the largest exponent among the y_i (so the largest lies in [1, 2)),
    /// and Emax; `nil` when every y_i is zero.
    func prescaled() -> (values: [UInt64], emax: Int)? {
        var emax = Int.min
        for v in centred { if let e = format.unbiasedExponent(v) { emax = Swift.max(emax, e) } }
        if emax == Int.min { return nil }
        return (centred.map { format.scaleB($0, -emax) }, emax)
    }

    /// Sum of squares of `values` (encodings of `format`) by sequential fma in `accumulate`.
    func sumOfSquares(_ values: [UInt64]) -> UInt64 {
        let a = accumulate
        var s: UInt64 = 0
        for v in values {
            let w = format.convert(v, to: a)
            s = a.fma(w, w, s)
        }
        return s
    }

    /// z_i = scale * y_i, or (gamma_i * scale) * y_i + beta_i by one fma, in `format`.
    func outputPass(_ values: [UInt64], scale: UInt64, gamma: [UInt64]?, beta: [UInt64]?) -> [UInt64] {
        let f = format
        if gamma == nil && beta == nil { return values.map { f.mul(scale, $0) } }
        var z = [UInt64](repeating: 0, count: values.count)
        for i in values.indices {
            let g = gamma.map { f.mul($0[i], scale) } ?? scale
            z[i] = f.fma(g, values[i], beta?[i] ?? 0)
        }
        return z
    }
}
