import Golden

// Range batch norm (LightNorm; Golden.RangeBatchNorm) and the conventional baseline
// (Golden.ConventionalBatchNorm), forward and backward, through the C ABI
// (conventions: CABI.swift).

/// Runs the forward pass of range batch norm on one tensor of `positions` x `channels` values,
/// given as BFP blocks of the `input` preset: `positions * channels / k` scales and
/// `positions * channels` element encodings, position-major (a block is k consecutive channels at
/// one position). `gamma` and `beta` are `channels` FP32 encodings each.
///
/// Writes (each output may be null when not wanted): `values`, the FP32 results before the output
/// quantization (`positions * channels` encodings, position-major); `outScales`/`outElements`,
/// those values quantized into blocks of the `output` preset (its LFSR seeded with `seed`;
/// `outRounding` null for the preset's); per channel the FP32 `mean`, `range` and `scale`
/// (1 / (range C(n) + eps)); and per channel and chunk (`channels * chunks`, channel-major) the
/// offsets `argmax`/`argmin` of each chunk's maximum and minimum.
///
/// `conventional` nonzero runs the conventional batch-norm baseline instead
/// (`Golden.ConventionalBatchNorm`: the variance pass and the Newton reciprocal square root; the
/// same configuration): `scale` is then 1 / sqrt(var + eps), and `range`, `argmax` and `argmin`
/// must be null.
@_cdecl("nf_range_bn_forward")
public func nf_range_bn_forward(
    _ inputPreset: UnsafePointer<CChar>?, _ outputPreset: UnsafePointer<CChar>?, _ outRounding: UnsafePointer<CChar>?,
    _ conventional: Int32,
    _ channels: Int64, _ positions: Int64, _ chunks: Int64, _ eps: Double, _ newtonSteps: Int64, _ seed: UInt32,
    _ inScales: UnsafePointer<UInt8>?, _ inElements: UnsafeRawPointer?, _ inElementBytes: Int32,
    _ gamma: UnsafeRawPointer?, _ beta: UnsafeRawPointer?,
    _ values: UnsafeMutableRawPointer?,
    _ outScales: UnsafeMutablePointer<UInt8>?, _ outElements: UnsafeMutableRawPointer?, _ outElementBytes: Int32,
    _ mean: UnsafeMutableRawPointer?, _ range: UnsafeMutableRawPointer?, _ scale: UnsafeMutableRawPointer?,
    _ argmax: UnsafeMutablePointer<Int64>?, _ argmin: UnsafeMutablePointer<Int64>?,
    _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int64
) -> Int32 {
    reporting(error, errorCapacity) { () throws(CABIFailure) in
        let output = try bfpFormat(outputPreset ?? inputPreset, rounding: outRounding)
        let config = try rangeBNConfig(inputPreset: inputPreset, output: output, gradientInput: nil, gradientOutput: nil,
                                       channels: channels, positions: positions, chunks: chunks, eps: eps,
                                       newtonSteps: newtonSteps)
        let c = config.channels, k = config.chunks
        let blocks = config.positions * config.groups
        let tensor = try readBlocks(inScales, inElements, inElementBytes, count: blocks, format: config.input, "input")
        let gammaBits = try readEncodings(gamma, count: c, bytes: 4, width: 32, "gamma")
        let betaBits = try readEncodings(beta, count: c, bytes: 4, width: 32, "beta")
        let model = RangeBatchNorm(config: config)
        let y: [UInt64], means: [UInt64], scales: [UInt64]
        var stats: [RangeBatchNormStatistics] = []
        if conventional != 0 {
            guard range == nil, argmax == nil, argmin == nil else {
                throw .invalid("the conventional batch norm has no range, argmax or argmin")
            }
            let baseline = ConventionalBatchNorm(config: config)
            do {
                (means, scales) = try baseline.statistics(tensor)
                y = try baseline.values(tensor, gamma: gammaBits, beta: betaBits)
            } catch { throw .invalid(String(describing: error)) }
        } else {
            do { (y, stats) = try model.normalize(tensor, gamma: gammaBits, beta: betaBits) } catch {
                throw .invalid(String(describing: error))
            }
            means = stats.map(\.mean)
            scales = stats.map(\.scale)
        }
        if let values { writeEncodings(y, to: values, bytes: 4) }
        try writeBlocks(y, format: output, seed: seed, outScales, outElements, outElementBytes, "output")
        if let mean { writeEncodings(means, to: mean, bytes: 4) }
        if let range { writeEncodings(stats.map(\.range), to: range, bytes: 4) }
        if let scale { writeEncodings(scales, to: scale, bytes: 4) }
        for (pointer, offsets) in [(argmax, stats.map(\.argmax)), (argmin, stats.map(\.argmin))] {
            guard let pointer else { continue }
            for (ch, chunkOffsets) in offsets.enumerated() {
                for (j, o) in chunkOffsets.enumerated() { pointer[ch * k + j] = Int64(o) }
            }
        }
    }
}

/// The range-BN configuration from the ABI's fields, checked so that no conversion overflows.
func rangeBNConfig(inputPreset: UnsafePointer<CChar>?, output: BFPFormat, gradientInput: BFPFormat?,
                   gradientOutput: BFPFormat?, channels: Int64, positions: Int64, chunks: Int64, eps: Double,
                   newtonSteps: Int64) throws(CABIFailure) -> RangeBatchNormConfig {
    let input = try bfpFormat(inputPreset)
    let c = try count(channels, "channels"), n = try count(positions, "positions"), k = try count(chunks, "chunks")
    guard c <= 1 << 20, n <= 1 << 30, c * n <= maxElements else {
        throw .buffer("channels x positions exceeds the ABI's limits, got \(c) x \(n)")
    }
    guard newtonSteps >= 0, newtonSteps <= 1 << 20 else { throw .invalid("Newton steps must be in 1...16, got \(newtonSteps)") }
    do {
        return try RangeBatchNormConfig(channels: c, positions: n, chunks: k, input: input, output: output,
                                        gradientInput: gradientInput, gradientOutput: gradientOutput,
                                        eps: eps, newtonSteps: Int(newtonSteps))
    } catch { throw .invalid(String(describing: error)) }
}

/// `count` blocks of `format` from a caller's scales and elements (position-major).
func readBlocks(_ scales: UnsafePointer<UInt8>?, _ elements: UnsafeRawPointer?, _ elementBytes: Int32, count: Int,
                format: BFPFormat, _ what: String) throws(CABIFailure) -> [BFPBlock] {
    let g = format.blockSize
    let bytes = try checkElementBytes(elementBytes, width: format.element.width, "the \(what) elements")
    let all = try readEncodings(elements, count: count * g, bytes: bytes, width: format.element.width, "the \(what) elements")
    guard count > 0 else { return [] }
    guard let scales else { throw .buffer("the \(what) scales are a null pointer") }
    return (0..<count).map { b in BFPBlock(scale: scales[b], elements: Array(all[b * g ..< (b + 1) * g])) }
}

/// Quantizes FP32 `values` (a whole number of blocks, stream order) into blocks of `format`, its
/// LFSR seeded with `seed`, into the caller's buffers; nothing when both are null.
func writeBlocks(_ values: [UInt64], format: BFPFormat, seed: UInt32, _ scales: UnsafeMutablePointer<UInt8>?,
                 _ elements: UnsafeMutableRawPointer?, _ elementBytes: Int32, _ what: String) throws(CABIFailure) {
    if scales == nil && elements == nil { return }
    guard let scales, let elements else { throw .buffer("give both \(what) scales and elements, or neither") }
    let bytes = try checkElementBytes(elementBytes, width: format.element.width, "the \(what) elements")
    let g = format.blockSize
    var quantizer: BFPQuantizer
    do { quantizer = try BFPQuantizer(format: format, source: .fp32, seed: seed) } catch {
        throw .invalid(String(describing: error))
    }
    for b in 0..<(values.count / g) {
        let q: BFPBlock
        do { q = try quantizer.quantize(block: Array(values[b * g ..< (b + 1) * g])) } catch {
            throw .invalid(String(describing: error))
        }
        scales[b] = q.scale
        writeEncodings(q.elements, to: elements, startingAt: b * g, bytes: bytes)
    }
}

/// The backward pass of range batch norm (the training unit's gradient passes,
/// `Golden.RangeBatchNorm.gradients`), or with `conventional` nonzero of the conventional baseline.
///
/// Takes the forward's input blocks (`inputPreset`, as given to `nf_range_bn_forward` with the same
/// configuration: the statistics are recomputed from them, exactly as the forward found them),
/// `gamma` (`channels` FP32 encodings) and dL/dy as blocks of `gradientInputPreset` (null: the
/// input preset) in the same layout. Writes (each may be null) `dx`, dL/dx in FP32 before
/// quantization (`positions * channels`, position-major); `dxScales`/`dxElements`, dL/dx quantized
/// into blocks of `gradientOutputPreset` (null: the input preset; LFSR `seed`); `dgamma`, `dbeta`
/// (`channels` FP32 encodings each).
@_cdecl("nf_range_bn_backward")
public func nf_range_bn_backward(
    _ inputPreset: UnsafePointer<CChar>?, _ gradientInputPreset: UnsafePointer<CChar>?,
    _ gradientOutputPreset: UnsafePointer<CChar>?, _ gradientRounding: UnsafePointer<CChar>?,
    _ conventional: Int32,
    _ channels: Int64, _ positions: Int64, _ chunks: Int64, _ eps: Double, _ newtonSteps: Int64, _ seed: UInt32,
    _ inScales: UnsafePointer<UInt8>?, _ inElements: UnsafeRawPointer?, _ inElementBytes: Int32,
    _ gamma: UnsafeRawPointer?,
    _ dyScales: UnsafePointer<UInt8>?, _ dyElements: UnsafeRawPointer?, _ dyElementBytes: Int32,
    _ dx: UnsafeMutableRawPointer?,
    _ dxScales: UnsafeMutablePointer<UInt8>?, _ dxElements: UnsafeMutableRawPointer?, _ dxElementBytes: Int32,
    _ dgamma: UnsafeMutableRawPointer?, _ dbeta: UnsafeMutableRawPointer?,
    _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int64
) -> Int32 {
    reporting(error, errorCapacity) { () throws(CABIFailure) in
        let input = try bfpFormat(inputPreset)
        let gradientInput = gradientInputPreset == nil ? input : try bfpFormat(gradientInputPreset)
        let gradientOutput = try bfpFormat(gradientOutputPreset ?? inputPreset, rounding: gradientRounding)
        let config = try rangeBNConfig(inputPreset: inputPreset, output: input, gradientInput: gradientInput,
                                       gradientOutput: gradientOutput, channels: channels, positions: positions,
                                       chunks: chunks, eps: eps, newtonSteps: newtonSteps)
        let blocks = config.positions * config.groups
        let stored = try readBlocks(inScales, inElements, inElementBytes, count: blocks, format: config.input, "input")
        let dy = try readBlocks(dyScales, dyElements, dyElementBytes, count: blocks, format: gradientInput, "dy")
        let gammaBits = try readEncodings(gamma, count: config.channels, bytes: 4, width: 32, "gamma")
        let grads: RangeBatchNormGradients
        do {
            if conventional != 0 {
                grads = try ConventionalBatchNorm(config: config).gradients(stored: stored, gamma: gammaBits, dy: dy)
            } else {
                let model = RangeBatchNorm(config: config)
                grads = try model.gradients(stored: stored, statistics: try model.statistics(stored), gamma: gammaBits, dy: dy)
            }
        } catch { throw .invalid(String(describing: error)) }
        if let dx { writeEncodings(grads.dx, to: dx, bytes: 4) }
        try writeBlocks(grads.dx, format: gradientOutput, seed: seed, dxScales, dxElements, dxElementBytes, "dx")
        if let dgamma { writeEncodings(grads.dgamma, to: dgamma, bytes: 4) }
        if let dbeta { writeEncodings(grads.dbeta, to: dbeta, bytes: 4) }
    }
}

/// The running statistics' reset state for `channels` channels of a shape of `positions` values in
/// `chunks` chunks (`Golden.RangeBatchNormRunning`): mean 0, range 1/C(n), FP32 encodings.
@_cdecl("nf_range_bn_running_reset")
public func nf_range_bn_running_reset(_ channels: Int64, _ positions: Int64, _ chunks: Int64,
                                      _ mean: UnsafeMutableRawPointer?, _ range: UnsafeMutableRawPointer?,
                                      _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int64) -> Int32 {
    reporting(error, errorCapacity) { () throws(CABIFailure) in
        let c = try count(channels, "channels"), n = try count(positions, "positions"), k = try count(chunks, "chunks")
        guard c >= 1, c <= 1 << 20 else { throw .invalid("channels must be in 1...\(1 << 20), got \(c)") }
        guard k >= 1, n >= 2 * k, n % k == 0 else {
            throw .invalid("positions (\(n)) must split into \(k) chunks of at least 2 values")
        }
        guard let mean, let range else { throw .buffer("the running mean and range are null pointers") }
        let running = RangeBatchNormRunning(channels: c, positions: n, chunks: k)
        writeEncodings(running.mean, to: mean, bytes: 4)
        writeEncodings(running.range, to: range, bytes: 4)
    }
}

/// One update of the running statistics (`channels` FP32 encodings each, read and written in
/// place) with the statistics of the tensor given as input blocks, in PyTorch's momentum
/// convention: running = (1 - momentum) running + momentum batch, FP32 (`RangeBatchNormRunning`).
@_cdecl("nf_range_bn_running_update")
public func nf_range_bn_running_update(
    _ inputPreset: UnsafePointer<CChar>?, _ channels: Int64, _ positions: Int64, _ chunks: Int64, _ eps: Double,
    _ newtonSteps: Int64, _ momentum: Double,
    _ inScales: UnsafePointer<UInt8>?, _ inElements: UnsafeRawPointer?, _ inElementBytes: Int32,
    _ mean: UnsafeMutableRawPointer?, _ range: UnsafeMutableRawPointer?,
    _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int64
) -> Int32 {
    reporting(error, errorCapacity) { () throws(CABIFailure) in
        guard momentum.isFinite, momentum >= 0, momentum <= 1 else {
            throw .invalid("momentum must be in 0...1, got \(momentum)")
        }
        let config = try rangeBNConfig(inputPreset: inputPreset, output: try bfpFormat(inputPreset), gradientInput: nil,
                                       gradientOutput: nil, channels: channels, positions: positions, chunks: chunks,
                                       eps: eps, newtonSteps: newtonSteps)
        let blocks = try readBlocks(inScales, inElements, inElementBytes, count: config.positions * config.groups,
                                    format: config.input, "input")
        let c = config.channels
        var running = RangeBatchNormRunning(mean: try readEncodings(mean, count: c, bytes: 4, width: 32, "the running mean"),
                                            range: try readEncodings(range, count: c, bytes: 4, width: 32, "the running range"))
        do { running.update(with: try RangeBatchNorm(config: config).statistics(blocks), momentum: momentum) } catch {
            throw .invalid(String(describing: error))
        }
        guard let mean, let range else { throw .buffer("the running mean and range are null pointers") }
        writeEncodings(running.mean, to: mean, bytes: 4)
        writeEncodings(running.range, to: range, bytes: 4)
    }
}

/// Inference with running statistics (the inference unit, `RangeBatchNorm.inference`): the
/// tensor's input blocks normalized with the running `mean` and `range` (`channels` FP32
/// encodings each) instead of its own; `values` (FP32, may be null) and the output blocks
/// (`outScales`/`outElements`, may both be null; LFSR `seed`) as in `nf_range_bn_forward`.
@_cdecl("nf_range_bn_inference")
public func nf_range_bn_inference(
    _ inputPreset: UnsafePointer<CChar>?, _ outputPreset: UnsafePointer<CChar>?, _ outRounding: UnsafePointer<CChar>?,
    _ channels: Int64, _ positions: Int64, _ chunks: Int64, _ eps: Double, _ newtonSteps: Int64, _ seed: UInt32,
    _ inScales: UnsafePointer<UInt8>?, _ inElements: UnsafeRawPointer?, _ inElementBytes: Int32,
    _ gamma: UnsafeRawPointer?, _ beta: UnsafeRawPointer?, _ mean: UnsafeRawPointer?, _ range: UnsafeRawPointer?,
    _ values: UnsafeMutableRawPointer?,
    _ outScales: UnsafeMutablePointer<UInt8>?, _ outElements: UnsafeMutableRawPointer?, _ outElementBytes: Int32,
    _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int64
) -> Int32 {
    reporting(error, errorCapacity) { () throws(CABIFailure) in
        let output = try bfpFormat(outputPreset ?? inputPreset, rounding: outRounding)
        let config = try rangeBNConfig(inputPreset: inputPreset, output: output, gradientInput: nil, gradientOutput: nil,
                                       channels: channels, positions: positions, chunks: chunks, eps: eps,
                                       newtonSteps: newtonSteps)
        let c = config.channels
        let blocks = try readBlocks(inScales, inElements, inElementBytes, count: config.positions * config.groups,
                                    format: config.input, "input")
        let running = RangeBatchNormRunning(mean: try readEncodings(mean, count: c, bytes: 4, width: 32, "the running mean"),
                                            range: try readEncodings(range, count: c, bytes: 4, width: 32, "the running range"))
        let y: [UInt64]
        do {
            y = try RangeBatchNorm(config: config).inferenceValues(
                blocks, gamma: try readEncodings(gamma, count: c, bytes: 4, width: 32, "gamma"),
                beta: try readEncodings(beta, count: c, bytes: 4, width: 32, "beta"), running: running)
        } catch let failure as CABIFailure { throw failure } catch { throw .invalid(String(describing: error)) }
        if let values { writeEncodings(y, to: values, bytes: 4) }
        try writeBlocks(y, format: output, seed: seed, outScales, outElements, outElementBytes, "output")
    }
}
