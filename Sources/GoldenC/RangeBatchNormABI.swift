import Golden

// Range batch norm's forward pass (LightNorm; Golden.RangeBatchNorm) through the C ABI
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
@_cdecl("nf_range_bn_forward")
public func nf_range_bn_forward(
    _ inputPreset: UnsafePointer<CChar>?, _ outputPreset: UnsafePointer<CChar>?, _ outRounding: UnsafePointer<CChar>?,
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
        let input = try bfpFormat(inputPreset)
        let output = try bfpFormat(outputPreset ?? inputPreset, rounding: outRounding)
        let c = try count(channels, "channels"), n = try count(positions, "positions"), k = try count(chunks, "chunks")
        guard c <= 1 << 20, n <= 1 << 30, c * n <= maxElements else {
            throw .buffer("channels x positions exceeds the ABI's limits, got \(c) x \(n)")
        }
        guard newtonSteps >= 0, newtonSteps <= 1 << 20 else { throw .invalid("Newton steps must be in 1...16, got \(newtonSteps)") }
        let config: RangeBatchNormConfig
        do {
            config = try RangeBatchNormConfig(channels: c, positions: n, chunks: k, input: input, output: output,
                                              eps: eps, newtonSteps: Int(newtonSteps))
        } catch { throw .invalid(String(describing: error)) }
        let g = input.blockSize, blocks = n * (c / g)
        let inBytes = try checkElementBytes(inElementBytes, width: input.element.width, "the input elements")
        let elements = try readEncodings(inElements, count: n * c, bytes: inBytes, width: input.element.width,
                                         "the input elements")
        guard let inScales else { throw .buffer("the input scales are a null pointer") }
        let gammaBits = try readEncodings(gamma, count: c, bytes: 4, width: 32, "gamma")
        let betaBits = try readEncodings(beta, count: c, bytes: 4, width: 32, "beta")
        let tensor = (0..<blocks).map { b in BFPBlock(scale: inScales[b], elements: Array(elements[b * g ..< (b + 1) * g])) }
        let model = RangeBatchNorm(config: config)
        let (y, stats): ([UInt64], [RangeBatchNormStatistics])
        do { (y, stats) = try model.normalize(tensor, gamma: gammaBits, beta: betaBits) } catch {
            throw .invalid(String(describing: error))
        }
        if let values { writeEncodings(y, to: values, bytes: 4) }
        if outScales != nil || outElements != nil {
            guard let outScales, let outElements else { throw .buffer("give both output scales and elements, or neither") }
            let outBytes = try checkElementBytes(outElementBytes, width: output.element.width, "the output elements")
            var quantizer: BFPQuantizer
            do { quantizer = try BFPQuantizer(format: output, source: .fp32, seed: seed) } catch {
                throw .invalid(String(describing: error))
            }
            for b in 0..<blocks {
                let q: BFPBlock
                do { q = try quantizer.quantize(block: Array(y[b * g ..< (b + 1) * g])) } catch {
                    throw .invalid(String(describing: error))
                }
                outScales[b] = q.scale
                writeEncodings(q.elements, to: outElements, startingAt: b * g, bytes: outBytes)
            }
        }
        if let mean { writeEncodings(stats.map(\.mean), to: mean, bytes: 4) }
        if let range { writeEncodings(stats.map(\.range), to: range, bytes: 4) }
        if let scale { writeEncodings(stats.map(\.scale), to: scale, bytes: 4) }
        for (pointer, offsets) in [(argmax, stats.map(\.argmax)), (argmin, stats.map(\.argmin))] {
            guard let pointer else { continue }
            for (ch, chunkOffsets) in offsets.enumerated() {
                for (j, o) in chunkOffsets.enumerated() { pointer[ch * k + j] = Int64(o) }
            }
        }
    }
}
