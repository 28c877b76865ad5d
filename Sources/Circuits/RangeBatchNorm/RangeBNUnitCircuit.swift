import Golden
import HDL

/// The range batch-norm unit (LightNorm-style forward pass; golden model `RangeBatchNorm`, bit
/// for bit, op order as documented there).
///
/// Ports:
/// - `in_valid`, `in_ready`, `in_scale` (E8M0), `in_data` (P elements): input blocks, g channels
///   at one position each, position-major, g/P beats per block; a tensor is n*C/g blocks.
/// - `param_valid`, `param_channel`, `param_gamma`, `param_beta` (FP32): writes gamma and beta of
///   one channel; gamma is read when a tensor's statistics are finalized, beta during its
///   normalize pass, so load them before the tensor's first beat.
/// - `out_valid`, `out_ready`, `out_last` (last beat of a block), `out_scale`, `out_data`:
///   the normalized tensor as BFP blocks in the same order.
///
/// Three phases per tensor. Load (`in_ready` high): each beat is stored in the tensor memory and
/// dequantized (the BFP -> FP32 converter); per channel the unit accumulates the sum in the
/// statistics format and each chunk's FP32 maximum and minimum, adding the chunk's range to the
/// range sum at the chunk's last position. Finalize (C + steps cycles, one channel per cycle into
/// the pipelined Newton reciprocal): mean, range, d = range * C(n) + eps, 1/d, a = scale * gamma.
/// Normalize: the memory is read back through the same dequantizer, y = (x - mean) * a + beta
/// per lane, quantized by the FP32 -> BFP converter into an output FIFO; a beat is read only
/// when the FIFO will have room for it, so `out_ready` may drop at any time.
public enum RangeBNUnitCircuit {
    /// The module, named `rangebn_<config.nameSuffix>`; throws `RangeBatchNormError` if a
    /// submodule cannot be built.
    public static func module(_ config: RangeBNUnitConfig) throws -> Module {
        let g = config.golden, p = config.lanes
        let channels = g.channels, sets = config.beatsPerPosition, beats = config.beatsPerTensor
        let inWidth = g.input.element.width, outWidth = g.output.element.width
        let fp = try FloatUnits(.fp32)
        let acc = try FloatUnits(g.statFormat)
        let fpUnits = RangeBNUnitModules(fp), accUnits = RangeBNUnitModules(acc)
        let toAcc = RangeBNUnitModules.convert(fp, to: acc), toFP = RangeBNUnitModules.convert(acc, to: fp)
        let reciprocal = try RangeBNReciprocalCircuit.module(steps: g.newtonSteps)
        let dequantizer = BFPDequantizerCircuit.module(config.inputConverter)
        let quantizer = BFPQuantizerCircuit.module(config.outputConverter)
        let fifoDepth = config.outputFIFODepth

        return Module("rangebn_\(config.nameSuffix)") {
            let ops = RangeBNFloatInstances()
            let invN = Const(Int(g.statFormat.fromDouble(1 / Double(g.positions))), width: acc.width)
            let invK = Const(Int(g.statFormat.fromDouble(1 / Double(g.chunks))), width: acc.width)
            let constantC = Const(Int(RangeBatchNorm.constantC(positions: g.positions, chunks: g.chunks)), width: 32)
            let eps = Const(Int(g.eps), width: 32)
            let inValid = Input("in_valid", .bool)
            let inReady = Output("in_ready", .bool)
            let inScale = Input("in_scale", .bits(8))
            let inData = Input("in_data", .bits(p * inWidth))
            let paramValid = Input("param_valid", .bool)
            let paramChannel = Input("param_channel", .uint(bfpBitsFor(channels - 1)))
            let paramGamma = Input("param_gamma", .bits(32))
            let paramBeta = Input("param_beta", .bits(32))
            let outValid = Output("out_valid", .bool)
            let outReady = Input("out_ready", .bool)
            let outLast = Output("out_last", .bool)
            let outScale = Output("out_scale", .bits(8))
            let outData = Output("out_data", .bits(p * outWidth))

            let phase = Reg("phase", .uint(2), reset: 0)
            let loading = phase == Phase.load, finalizing = phase == Phase.finalize
            let normalizing = phase == Phase.normalize

            // Per-channel parameters and results (registers: every lane reads its channel).
            let gammas = (0..<channels).map { Reg("gamma\($0)", .bits(32)) }
            let betas = (0..<channels).map { Reg("beta\($0)", .bits(32)) }
            let means = (0..<channels).map { Reg("mean\($0)", .bits(32)) }
            let factors = (0..<channels).map { Reg("factor\($0)", .bits(32)) }
            When(paramValid) {
                for c in 0..<channels {
                    When(paramChannel == c) {
                        gammas[c] <== paramGamma
                        betas[c] <== paramBeta
                    }
                }
            }

            // The tensor memory: scale and elements of every input beat.
            let memory = Memory("tensor", depth: max(beats, 2), .bits(8 + p * inWidth))
            let writeAddress = Reg("wr_addr", .uint(bfpBitsFor(beats)), reset: 0)
            let readAddress = Reg("rd_addr", .uint(bfpBitsFor(beats)), reset: 0)
            let outstanding = Reg("outstanding", .uint(bfpBitsFor(fifoDepth)), reset: 0)
            let ready = loading & (writeAddress != beats)
            inReady <== ready
            let accept = inValid & ready
            When(accept) {
                memory.write(address(writeAddress, memory), cat(inScale, inData))
                writeAddress <== writeAddress &+ 1
            }
            let issue = normalizing & (readAddress != beats) & (outstanding < fifoDepth)
            When(issue) { readAddress <== readAddress &+ 1 }
            let stored = memory.read(address(readAddress, memory))
            let storedValid = RegNext("rd_valid", issue, reset: 0)

            // One dequantizer for both passes: input beats while loading, stored beats after.
            let deq = Instance(dequantizer, "u_dequantize")
            deq.in_valid <== accept | storedValid
            deq.in_scale <== mux(loading, inScale, stored[8 + p * inWidth - 1, p * inWidth])
            deq.in_data <== mux(loading, inData, stored[p * inWidth - 1, 0])
            let x = (0..<p).map { deq.out_data.lane($0, width: 32) }

            // Statistics pass, at the dequantizer's output.
            let statValid = deq.out_valid & loading
            let statSet = Reg("stat_set", .uint(bfpBitsFor(sets - 1)), reset: 0)
            let statPosition = Reg("stat_pos", .uint(bfpBitsFor(g.positions - 1)), reset: 0)
            let chunkPosition = Reg("chunk_pos", .uint(bfpBitsFor(g.chunkSize - 1)), reset: 0)
            let chunkIndex = Reg("chunk_idx", .uint(bfpBitsFor(g.chunks - 1)), reset: 0)
            let sums = (0..<channels).map { Reg("sum\($0)", .bits(acc.width)) }
            let ranges = (0..<channels).map { Reg("range\($0)", .bits(acc.width)) }
            let maxima = (0..<channels).map { Reg("max\($0)", .bits(32)) }
            let minima = (0..<channels).map { Reg("min\($0)", .bits(32)) }
            let lastSet = statSet == sets - 1
            let firstPosition = statPosition == 0, firstInChunk = chunkPosition == 0
            let lastInChunk = chunkPosition == g.chunkSize - 1, firstChunk = chunkIndex == 0
            let laneStats = (0..<p).map { l in
                let xa = ops.apply(toAcc, x[l])
                let sum = mux(firstPosition, xa, ops.apply(accUnits.add, pick(sums, lane: l, lanes: p, set: statSet), xa))
                let mx = mux(firstInChunk, x[l], ops.apply(fpUnits.maximum, pick(maxima, lane: l, lanes: p, set: statSet), x[l]))
                let mn = mux(firstInChunk, x[l], ops.apply(fpUnits.minimum, pick(minima, lane: l, lanes: p, set: statSet), x[l]))
                let width = ops.apply(accUnits.sub, ops.apply(toAcc, mx), ops.apply(toAcc, mn))
                let range = mux(firstChunk, width, ops.apply(accUnits.add, pick(ranges, lane: l, lanes: p, set: statSet), width))
                return (sum: sum, max: mx, min: mn, range: range)
            }
            When(statValid) {
                for l in 0..<p {
                    for s in 0..<sets {
                        When(statSet == s) {
                            sums[s * p + l] <== laneStats[l].sum
                            maxima[s * p + l] <== laneStats[l].max
                            minima[s * p + l] <== laneStats[l].min
                            When(lastInChunk) { ranges[s * p + l] <== laneStats[l].range }
                        }
                    }
                }
                statSet <== wrapIncrement(statSet, last: sets - 1)
                When(lastSet) {
                    statPosition <== wrapIncrement(statPosition, last: g.positions - 1)
                    chunkPosition <== wrapIncrement(chunkPosition, last: g.chunkSize - 1)
                    When(lastInChunk) { chunkIndex <== wrapIncrement(chunkIndex, last: g.chunks - 1) }
                    When(statPosition == g.positions - 1) { phase <== Phase.finalize }
                }
            }

            // Finalize, one channel per cycle; the reciprocal's result comes a cycle later.
            let recipLatency = RangeBNReciprocalCircuit.latency(steps: g.newtonSteps)
            let finalizeLast = channels + recipLatency - 1
            let channel = Reg("fin_channel", .uint(bfpBitsFor(finalizeLast)), reset: 0)
            let mean = ops.apply(toFP, ops.apply(accUnits.mul, select(sums, by: channel), invN))
            let meanRange = ops.apply(toFP, ops.apply(accUnits.mul, select(ranges, by: channel), invK))
            let recip = Instance(reciprocal, "u_reciprocal")
            recip.in_valid <== finalizing & (channel < channels)
            recip.d <== ops.apply(fpUnits.add, ops.apply(fpUnits.mul, meanRange, constantC), eps)
            // The channel index and mean travel beside the reciprocal's pipeline.
            var resultChannel = channel, resultMean = mean
            for stage in 0..<recipLatency {
                resultChannel = RegNext("fin_channel_d\(stage)", resultChannel)
                resultMean = RegNext("fin_mean_d\(stage)", resultMean)
            }
            let factor = ops.apply(fpUnits.mul, recip.r, select(gammas, by: resultChannel))
            When(recip.out_valid) {
                for c in 0..<channels {
                    When(resultChannel == c) {
                        means[c] <== resultMean
                        factors[c] <== factor
                    }
                }
            }
            When(finalizing) {
                channel <== channel &+ 1
                When(channel == finalizeLast) {
                    channel <== 0
                    phase <== Phase.normalize
                }
            }

            // Normalize pass: y = (x - mean) * a + beta, into the output quantizer.
            let normSet = Reg("norm_set", .uint(bfpBitsFor(sets - 1)), reset: 0)
            let normValid = deq.out_valid & normalizing
            When(normValid) { normSet <== wrapIncrement(normSet, last: sets - 1) }
            let y = (0..<p).map { l in
                ops.apply(fpUnits.add,
                          ops.apply(fpUnits.mul, ops.apply(fpUnits.sub, x[l], pick(means, lane: l, lanes: p, set: normSet)),
                                    pick(factors, lane: l, lanes: p, set: normSet)),
                          pick(betas, lane: l, lanes: p, set: normSet))
            }
            let q = Instance(quantizer, "u_quantize")
            q.in_valid <== normValid
            q.in_data <== packLanes(y)

            // Output FIFO; `outstanding` counts beats read and not yet delivered (credits).
            let fifo = BFPQuantizerCircuit.BeatBuffer(depth: fifoDepth, width: 1 + 8 + p * outWidth)
            let fifoCount = Reg("fifo_count", .uint(bfpBitsFor(fifoDepth)), reset: 0)
            let delivering = fifoCount != 0
            let pop = delivering & outReady
            fifo.update(push: q.out_valid, data: cat(q.out_last, q.out_scale, q.out_data), pop: pop)
            fifoCount <== fifoCount &+ q.out_valid.zext(to: fifoCount.width) &- pop.zext(to: fifoCount.width)
            outstanding <== outstanding &+ issue.zext(to: outstanding.width) &- pop.zext(to: outstanding.width)
            let head = fifo.head
            outValid <== delivering
            outLast <== head[8 + p * outWidth]
            outScale <== head[8 + p * outWidth - 1, p * outWidth]
            outData <== head[p * outWidth - 1, 0]

            When(normalizing & (readAddress == beats) & (outstanding == 0)) {
                phase <== Phase.load
                readAddress <== 0
                writeAddress <== 0
            }
            ops.assignments
        }
    }

    enum Phase {
        static let load = 0, finalize = 1, normalize = 2
    }

    /// Channel `set * lanes + lane` of a per-channel register file.
    static func pick(_ registers: [Signal], lane: Int, lanes: Int, set: Signal) -> Signal {
        var value = registers[lane]
        for s in stride(from: lanes + lane, to: registers.count, by: lanes) {
            value = mux(set == s / lanes, registers[s], value)
        }
        return value
    }

    /// `registers[index]` (the first entry when the index is out of range).
    static func select(_ registers: [Signal], by index: Signal) -> Signal {
        var value = registers[0]
        for c in 1..<registers.count { value = mux(index == c, registers[c], value) }
        return value
    }

    static func wrapIncrement(_ counter: Signal, last: Int) -> Signal {
        mux(counter == last, Const(0, width: counter.width), counter &+ 1)
    }

    /// A counter that runs to the memory depth (inclusive) as the memory's address.
    static func address(_ counter: Signal, _ memory: Memory) -> Signal {
        counter.width > memory.addressWidth ? counter.truncate(to: memory.addressWidth) : counter
    }
}
