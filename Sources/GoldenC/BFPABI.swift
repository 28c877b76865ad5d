import Golden

// BFP quantize/dequantize by preset name, through the C ABI (conventions: CABI.swift).

/// The preset `name` with an optional rounding override, subnormal flushing and stochastic bits.
func bfpFormat(_ name: UnsafePointer<CChar>?, rounding: UnsafePointer<CChar>? = nil, flush: Int32 = 0,
               stochasticBits: Int32 = 0) throws(CABIFailure) -> BFPFormat {
    let preset: BFPFormat
    let presetName = try string(name, "preset")
    do { preset = try BFPFormat.preset(named: presetName) } catch { throw .invalid(String(describing: error)) }
    let r: BFPRounding
    switch optionalString(rounding)?.lowercased() {
    case nil: r = preset.rounding
    case "nearest", "nearest_even", "even": r = .nearestEven
    case "nearest_away", "away": r = .nearestAway
    case "toward_zero", "zero", "truncate": r = .towardZero
    case "stochastic": r = .stochastic
    case let other?:
        throw .invalid("unknown BFP rounding '\(other)'; known: nearest, nearest_away, toward_zero, stochastic")
    }
    do {
        return try BFPFormat(blockSize: preset.blockSize, element: preset.element, rule: preset.rule, rounding: r,
                             flushSubnormals: flush != 0,
                             stochasticBits: stochasticBits == 0 ? preset.stochasticBits : Int(stochasticBits))
    } catch { throw .invalid(String(describing: error)) }
}

/// Describes a preset: `info[0...4]` = block size k, element width, element storage bytes,
/// element kind (0 integer, 1 float), the element's largest exponent (emax_elem), the
/// shared-exponent rule (0 floor, the MX rule; 1 ceil, HBFP's).
@_cdecl("nf_bfp_info")
public func nf_bfp_info(_ preset: UnsafePointer<CChar>?, _ info: UnsafeMutablePointer<Int64>?,
                        _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int64) -> Int32 {
    reporting(error, errorCapacity) { () throws(CABIFailure) in
        let f = try bfpFormat(preset)
        guard let info else { throw .buffer("info is a null pointer") }
        let kind: Int64 = if case .int = f.element { 0 } else { 1 }
        let values: [Int64] = [Int64(f.blockSize), Int64(f.element.width), Int64(storageBytes(width: f.element.width)),
                               kind, Int64(f.element.maxExponent), f.rule == .floor ? 0 : 1]
        for (i, v) in values.enumerated() { info[i] = v }
    }
}

/// The name of a preset's element format (`int8` for integer elements of 7 magnitude bits,
/// otherwise the float format's name), NUL-terminated into `name`.
@_cdecl("nf_bfp_element_name")
public func nf_bfp_element_name(_ preset: UnsafePointer<CChar>?, _ name: UnsafeMutablePointer<CChar>?, _ capacity: Int64,
                                _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int64) -> Int32 {
    reporting(error, errorCapacity) { () throws(CABIFailure) in
        let f = try bfpFormat(preset)
        guard let name, capacity >= 16 else { throw .buffer("the name buffer needs at least 16 bytes") }
        switch f.element {
        case .int(let m): writeMessage("int\(m + 1)", to: name, capacity: capacity)
        case .float(let e): writeMessage(e.name, to: name, capacity: capacity)
        }
    }
}

/// Quantizes `count` encodings of `source` (a whole number of blocks, in stream order) into
/// `count / k` E8M0 scales and `count` element encodings: the golden `BFPQuantizer`, its LFSR
/// started at `seed` (nonzero; used by stochastic rounding only) and carried across the blocks.
/// `rounding`: null for the preset's; `flush` nonzero treats subnormal sources as zeros;
/// `stochasticBits` 0 for the preset's (16).
@_cdecl("nf_bfp_quantize")
public func nf_bfp_quantize(_ preset: UnsafePointer<CChar>?, _ rounding: UnsafePointer<CChar>?, _ flush: Int32,
                            _ stochasticBits: Int32, _ seed: UInt32,
                            _ sourceName: UnsafePointer<CChar>?, _ bits: UnsafeRawPointer?, _ sourceBytes: Int32,
                            _ n: Int64, _ scales: UnsafeMutablePointer<UInt8>?,
                            _ elements: UnsafeMutableRawPointer?, _ elementBytes: Int32,
                            _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int64) -> Int32 {
    reporting(error, errorCapacity) { () throws(CABIFailure) in
        let f = try bfpFormat(preset, rounding: rounding, flush: flush, stochasticBits: stochasticBits)
        let source = try format(sourceName, "source format")
        var quantizer: BFPQuantizer
        do { quantizer = try BFPQuantizer(format: f, source: source, seed: seed) } catch { throw .invalid(String(describing: error)) }
        let n = try count(n, "count")
        guard n % f.blockSize == 0 else {
            throw .invalid("\(n) values are not a whole number of \(f.blockSize)-value blocks")
        }
        let inBytes = try checkElementBytes(sourceBytes, width: source.width, "the input")
        let outBytes = try checkElementBytes(elementBytes, width: f.element.width, "the elements")
        let encodings = try readEncodings(bits, count: n, bytes: inBytes, width: source.width, "the input")
        guard n > 0 else { return }
        guard let scales else { throw .buffer("the scales are a null pointer") }
        guard let elements else { throw .buffer("the elements are a null pointer") }
        let k = f.blockSize
        for block in 0..<(n / k) {
            let q: BFPBlock
            do { q = try quantizer.quantize(block: Array(encodings[block * k ..< (block + 1) * k])) } catch {
                throw .invalid("block \(block): \(String(describing: error))")
            }
            scales[block] = q.scale
            writeEncodings(q.elements, to: elements, startingAt: block * k, bytes: outBytes)
        }
    }
}

/// Dequantizes `blocks` blocks (`blocks` scales, `blocks * k` element encodings) into encodings
/// of `target` (a format with NaN and infinity): the golden `BFPFormat.dequantize`.
@_cdecl("nf_bfp_dequantize")
public func nf_bfp_dequantize(_ preset: UnsafePointer<CChar>?, _ blocks: Int64,
                              _ scales: UnsafePointer<UInt8>?, _ elements: UnsafeRawPointer?, _ elementBytes: Int32,
                              _ targetName: UnsafePointer<CChar>?, _ out: UnsafeMutableRawPointer?, _ targetBytes: Int32,
                              _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int64) -> Int32 {
    reporting(error, errorCapacity) { () throws(CABIFailure) in
        let f = try bfpFormat(preset)
        let target = try format(targetName, "target format")
        let blocks = try count(blocks, "blocks"), k = f.blockSize
        guard blocks <= maxElements / k else { throw .buffer("blocks x k exceeds \(maxElements) elements") }
        let inBytes = try checkElementBytes(elementBytes, width: f.element.width, "the elements")
        let outBytes = try checkElementBytes(targetBytes, width: target.width, "the output")
        guard target.hasNaN, target.hasInfinity else {
            throw .invalid("BFP -> FP needs a target with NaN and infinity, \(target.name) has not")
        }
        let all = try readEncodings(elements, count: blocks * k, bytes: inBytes, width: f.element.width, "the elements")
        guard blocks > 0 else { return }
        guard let scales else { throw .buffer("the scales are a null pointer") }
        guard let out = try output(out, count: blocks * k, "the output") else { return }
        for block in 0..<blocks {
            let values: [UInt64]
            do {
                values = try f.dequantize(BFPBlock(scale: scales[block], elements: Array(all[block * k ..< (block + 1) * k])),
                                          to: target)
            } catch { throw .invalid("block \(block): \(String(describing: error))") }
            writeEncodings(values, to: out, startingAt: block * k, bytes: outBytes)
        }
    }
}
