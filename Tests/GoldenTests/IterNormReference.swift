import Golden

/// LayerNorm / RMSNorm in FP64 on the decoded inputs: the independent reference the golden
/// IterNorm model must approach (it shares no code with it beyond `toDouble`).
struct IterNormFP64Reference {
    let config: IterNormConfig

    /// The exact-ish result per element, the magnitude scale of its two terms
    /// (`max(|gamma|, |gamma * normalized|) + |beta|`) against which rounding error is measured,
    /// and the condition number `max|x| / rms(y)` that amplifies the mean's rounding error.
    func evaluate(_ v: IterNormVector) -> (value: [Double], scale: [Double], condition: Double) {
        let f = config.format
        let x = v.x.map { f.toDouble($0) }
        let d = Double(x.count)
        // Work relative to the largest magnitude so that FP64 itself cannot overflow.
        let big = x.map { Swift.abs($0) }.max() ?? 0
        let k = big > 0 ? big : 1
        let xs = x.map { $0 / k }
        let mean = config.mode == .layerNorm ? xs.reduce(0, +) / d : 0
        let y = xs.map { $0 - mean }
        let s = y.reduce(0) { $0 + $1 * $1 } + d * config.eps / (k * k)
        let g = v.gamma.map { $0.map { f.toDouble($0) } } ?? [Double](repeating: 1, count: x.count)
        let b = v.beta.map { $0.map { f.toDouble($0) } } ?? [Double](repeating: 0, count: x.count)
        var value = [Double](), scale = [Double]()
        for i in 0..<x.count {
            let n = s > 0 ? g[i] * d.squareRoot() * y[i] / s.squareRoot() : 0
            value.append(n + b[i])
            scale.append(Swift.max(Swift.abs(n), Swift.abs(g[i])) + Swift.abs(b[i]))
        }
        let rms = (y.reduce(0) { $0 + $1 * $1 } / d).squareRoot()
        return (value, scale, rms > 0 ? 1 / rms : 1)
    }

    /// The error allowed for `v`: `base` ulps, plus what the mean's rounding in the accumulate
    /// format costs after cancellation (a few accumulate-format ulps times the condition number).
    func bound(_ v: IterNormVector, base: Double) -> Double {
        guard config.mode == .layerNorm else { return base }
        let ratio = Double(sign: .plus, exponent: config.format.precision - config.accumulate.precision, significand: 1)
        return base + 8 * evaluate(v).condition * ratio
    }

    /// The largest error of `output` in units of `2^-precision(format) * scale_i`: about one
    /// for a correctly rounded result, a few for an accurate one.
    func error(_ output: [UInt64], _ v: IterNormVector) -> Double {
        let f = config.format
        let (value, scale, _) = evaluate(v)
        let unit = Double(sign: .plus, exponent: -f.precision, significand: 1)
        let tiny = f.toDouble(1)
        var worst = 0.0
        for i in 0..<output.count {
            let err = Swift.abs(f.toDouble(output[i]) - value[i])
            worst = Swift.max(worst, err / Swift.max(scale[i] * unit, tiny))
        }
        return worst
    }
}
