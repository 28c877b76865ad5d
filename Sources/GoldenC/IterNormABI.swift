import Golden

// IterNorm over a batch of rows, through the C ABI (conventions: CABI.swift).

/// The IterNorm configuration from the ABI's plain fields, validated by `IterNormConfig` after
/// the checks that keep the golden model from trapping on formats it cannot widen.
func iterNormConfig(format formatName: UnsafePointer<CChar>?, accumulate: UnsafePointer<CChar>?,
                    mode: UnsafePointer<CChar>?, form: UnsafePointer<CChar>?, lanes: Int64, dMax: Int64,
                    iterations: Int64, etaShift: Int64, eps: Double, affine: Bool) throws(CABIFailure) -> IterNormConfig {
    let f = try format(formatName, "format")
    let modeName = optionalString(mode) ?? "layernorm"
    guard let modeValue = IterNormMode(rawValue: modeName.lowercased()) else {
        throw .invalid("mode must be layernorm or rmsnorm, got '\(modeName)'")
    }
    let formName = optionalString(form) ?? "scalar"
    guard let formValue = IterNormForm(rawValue: formName.lowercased()) else {
        throw .invalid("form must be scalar or vector, got '\(formName)'")
    }
    // The mean format has one more exponent bit than the accumulate format, the wide mode's formats
    // more fraction bits than the I/O format: FP64 would not fit the soft-float's 64-bit encodings.
    guard f.width <= 32 else { throw .invalid("IterNorm formats are at most 32 bits wide, \(f.name) is \(f.width)") }
    let wide: Bool, acc: FloatFormat?
    switch optionalString(accumulate)?.lowercased() {
    case nil: wide = false; acc = nil
    case "wide": wide = true; acc = nil
    case "same": wide = false; acc = f
    case let name?:
        wide = false
        let a = try format(named: name)
        guard a.width <= 32 else { throw .invalid("the accumulate format is at most 32 bits wide, \(a.name) is \(a.width)") }
        acc = a
    }
    // Ranges checked here first so that no Int conversion below can overflow.
    for (value, what) in [(lanes, "lanes"), (dMax, "d-max"), (iterations, "iterations"), (etaShift, "eta-shift")]
    where value < 0 || value > Int64(1 << 40) {
        throw .invalid("\(what) is out of range, got \(value)")
    }
    guard lanes >= 1, lanes & (lanes - 1) == 0, lanes <= 4096 else {
        throw .invalid("lanes must be a power of two in 1...4096, got \(lanes)")
    }
    // The configuration checks each legal d; keep that loop bounded before it runs.
    guard dMax >= lanes, dMax % lanes == 0, dMax <= 1 << 20 else {
        throw .invalid("d-max must be a multiple of lanes (\(lanes)) in \(lanes)...\(1 << 20), got \(dMax)")
    }
    do {
        return try IterNormConfig(format: f, accumulate: acc, lanes: Int(lanes), dMax: Int(dMax),
                                  iterations: Int(iterations), etaShift: Int(etaShift), form: formValue,
                                  mode: modeValue, affine: affine, eps: eps, wide: wide)
    } catch {
        throw .invalid(String(describing: error))
    }
}

/// Normalizes `rows` vectors of `d` encodings each (row-major in `x`) with the golden IterNorm
/// model and writes `rows * d` encodings to `out`, all in `format` (`elementBytes` each).
///
/// `accumulate`: null or "" for the default (FP32 for narrower formats, else the format), "same",
/// "wide" (the faithful mode, scalar form), or a format name. `mode`: "layernorm" (default) or
/// "rmsnorm"; `form`: "scalar" (default) or "vector". `gamma` (and `beta`, LayerNorm only) are
/// `d` encodings shared by every row: with `gamma` the configuration is affine and LayerNorm then
/// needs `beta` too; with neither it is not affine.
@_cdecl("nf_iternorm")
public func nf_iternorm(_ formatName: UnsafePointer<CChar>?, _ accumulate: UnsafePointer<CChar>?,
                        _ mode: UnsafePointer<CChar>?, _ form: UnsafePointer<CChar>?,
                        _ lanes: Int64, _ dMax: Int64, _ iterations: Int64, _ etaShift: Int64, _ eps: Double,
                        _ rows: Int64, _ d: Int64, _ elementBytes: Int32,
                        _ x: UnsafeRawPointer?, _ gamma: UnsafeRawPointer?, _ beta: UnsafeRawPointer?,
                        _ out: UnsafeMutableRawPointer?,
                        _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int64) -> Int32 {
    reporting(error, errorCapacity) { () throws(CABIFailure) in
        let config = try iterNormConfig(format: formatName, accumulate: accumulate, mode: mode, form: form,
                                        lanes: lanes, dMax: dMax, iterations: iterations, etaShift: etaShift,
                                        eps: eps, affine: gamma != nil)
        let model = IterNorm(config)
        try normalizeRows(config, rows: rows, d: d, elementBytes: elementBytes, x: x, gamma: gamma, beta: beta,
                          out: out) { row, g, b in try model.normalize(x: row, gamma: g, beta: b) }
    }
}

/// The FISR baseline over rows (`FISR.normalize`): IterNorm's pipeline, as in `nf_iternorm`, with
/// the fast inverse square root and `newtonSteps` (0...8) Newton steps in place of the iterations,
/// every operation in the accumulate format. The arguments are those of `nf_iternorm` without
/// the iteration count, eta and form, which FISR does not use.
@_cdecl("nf_fisr_norm")
public func nf_fisr_norm(_ formatName: UnsafePointer<CChar>?, _ accumulate: UnsafePointer<CChar>?,
                         _ mode: UnsafePointer<CChar>?, _ lanes: Int64, _ dMax: Int64, _ newtonSteps: Int64,
                         _ eps: Double, _ rows: Int64, _ d: Int64, _ elementBytes: Int32,
                         _ x: UnsafeRawPointer?, _ gamma: UnsafeRawPointer?, _ beta: UnsafeRawPointer?,
                         _ out: UnsafeMutableRawPointer?,
                         _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int64) -> Int32 {
    reporting(error, errorCapacity) { () throws(CABIFailure) in
        guard (0...8).contains(newtonSteps) else { throw .invalid("newton steps must be in 0...8, got \(newtonSteps)") }
        if let name = optionalString(accumulate), name.lowercased() == "wide" {
            throw .invalid("FISR has no wide mode (its accumulate format is one format)")
        }
        let config = try iterNormConfig(format: formatName, accumulate: accumulate, mode: mode, form: nil,
                                        lanes: lanes, dMax: dMax, iterations: 1, etaShift: 1,
                                        eps: eps, affine: gamma != nil)
        try normalizeRows(config, rows: rows, d: d, elementBytes: elementBytes, x: x, gamma: gamma, beta: beta,
                          out: out) { row, g, b in
            try FISR.normalize(row, pipeline: config, newtonSteps: Int(newtonSteps), gamma: g, beta: b)
        }
    }
}

/// The checks and the row loop shared by the normalizing entry points: `rows` vectors of `d`
/// encodings of `config.format` read from `x`, each normalized by `normalize`, written to `out`.
private func normalizeRows(_ config: IterNormConfig, rows: Int64, d: Int64, elementBytes: Int32,
                           x: UnsafeRawPointer?, gamma: UnsafeRawPointer?, beta: UnsafeRawPointer?,
                           out: UnsafeMutableRawPointer?,
                           normalize: ([UInt64], [UInt64]?, [UInt64]?) throws -> [UInt64]) throws(CABIFailure) {
    let f = config.format
    let rows = try count(rows, "rows"), d = try count(d, "d")
    let (elements, overflow) = rows.multipliedReportingOverflow(by: d)
    guard !overflow, elements <= maxElements else { throw .buffer("rows x d exceeds \(maxElements) elements") }
    do { try config.validate(d: d) } catch { throw .invalid(String(describing: error)) }
    if beta != nil && gamma == nil { throw .invalid("beta needs gamma (the affine configuration has both)") }
    if beta != nil && config.mode == .rmsNorm { throw .invalid("rmsnorm has no beta") }
    if config.hasBeta && beta == nil { throw .invalid("layernorm with gamma needs beta too") }
    let bytes = try checkElementBytes(elementBytes, width: f.width, "x")
    let g = gamma == nil ? nil : try readEncodings(gamma, count: d, bytes: bytes, width: f.width, "gamma")
    let b = beta == nil ? nil : try readEncodings(beta, count: d, bytes: bytes, width: f.width, "beta")
    let all = try readEncodings(x, count: rows * d, bytes: bytes, width: f.width, "x")
    guard let out = try output(out, count: rows * d, "the output"), rows > 0 else { return }
    for r in 0..<rows {
        let row = Array(all[r * d ..< (r + 1) * d])
        do {
            writeEncodings(try normalize(row, g, b), to: out, startingAt: r * d, bytes: bytes)
        } catch {
            throw .invalid("row \(r): \(String(describing: error))")
        }
    }
}
