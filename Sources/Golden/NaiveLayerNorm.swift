/// The naive in-format normalization: a square root, then a division per element.
public enum NaiveLayerNorm {
    /// LayerNorm or RMSNorm of `x` (encodings of `format`) the textbook way, each step rounded once
    /// in `accumulate` (default FP32 for formats narrower than FP32, else the format itself), the
    /// result converted to `format`: sequential sum, mean = sum / d, y_i = x_i - mean; s = sum of
    /// y_i^2 by fma; var = s / d (+ eps); sigma = sqrt(var); z_i = y_i / sigma, then * gamma_i,
    /// + beta_i.
    ///
    /// No pre-scaling: s may overflow, and an all-equal vector divides 0 by 0 (NaN), exactly as
    /// the naive formula does. NaN or infinity in x gives all NaN.
    public static func normalize(
        _ x: [UInt64], format: FloatFormat, accumulate: FloatFormat? = nil, mode: IterNormMode = .layerNorm,
        gamma: [UInt64]? = nil, beta: [UInt64]? = nil, eps: Double = 0
    ) -> [UInt64] {
        let f = format
        guard let prefix = NormPrefix(x, format: f, accumulate: accumulate, mode: mode)
        else { return Array(repeating: f.invalidResult, count: x.count) }
        let a = prefix.accumulate
        var variance = a.div(prefix.sumOfSquares(prefix.centred), a.fromInt(Int64(x.count)))
        if eps > 0 { variance = a.add(variance, a.fromDouble(eps)) }
        let sigma = a.sqrt(variance)
        return prefix.centred.indices.map { i in
            var z = a.div(prefix.centred[i], sigma)
            if let gamma { z = a.mul(z, f.convert(gamma[i], to: a)) }
            if let beta { z = a.add(z, f.convert(beta[i], to: a)) }
            return a.convert(z, to: f)
        }
    }
}

/// The naive baseline's first steps: centring the vector and accumulating squares, each
/// operation rounded once in the accumulate format, sequentially.
struct NormPrefix {
    let format: FloatFormat
    let accumulate: FloatFormat
    /// y = x - mean (LayerNorm) or x (RMSNorm), in `accumulate`.
    let centred: [UInt64]

    /// The default accumulation format: FP32 for anything narrower, else the format itself.
    static func defaultAccumulate(for f: FloatFormat) -> FloatFormat {
        f.precision < FloatFormat.fp32.precision ? .fp32 : f
    }

    /// Centres `x` (mean = sum / d by a division); `nil` when any element is NaN or infinite.
    init?(_ x: [UInt64], format f: FloatFormat, accumulate: FloatFormat?, mode: IterNormMode) {
        let a = accumulate ?? NormPrefix.defaultAccumulate(for: f)
        format = f
        self.accumulate = a
        if x.contains(where: { !f.isFinite($0) }) { return nil }
        let xa = x.map { f.convert($0, to: a) }
        guard mode == .layerNorm, !x.isEmpty else { centred = xa; return }
        var sum: UInt64 = 0
        for v in xa { sum = a.add(sum, v) }
        let mean = a.div(sum, a.fromInt(Int64(x.count)))
        centred = xa.map { a.sub($0, mean) }
    }

    /// Sum of squares of `values` (in `accumulate`) by sequential fma.
    func sumOfSquares(_ values: [UInt64]) -> UInt64 {
        let a = accumulate
        var s: UInt64 = 0
        for v in values { s = a.fma(v, v, s) }
        return s
    }
}
