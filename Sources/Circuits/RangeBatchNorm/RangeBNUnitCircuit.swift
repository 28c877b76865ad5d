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
/// range sum at the chunk's last position. Finalize (`config.finalizeCycles`, one channel per
/// cycle into a pipeline through the Newton reciprocal): mean, range, d = range * C(n) + eps, 1/d,
/// a = scale * gamma. Normalize: the memory is read back through the same dequantizer,
/// y = (x - mean) * a + beta per lane, quantized by the FP32 -> BFP converter into an output FIFO; a beat is read only
/// when the FIFO will have room for it, so `out_ready` may drop at any time. Every pipeline stage
/// holds at most one FP operation (plus the per-channel muxes).
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
            let paramChannel = Input("param_channel", .uint(bitsFor(channels - 1)))
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
            let writeAddress = Reg("wr_addr", .uint(bitsFor(beats)), reset: 0)
            let readAddress = Reg("rd_addr", .uint(bitsFor(beats)), reset: 0)
            let outstanding = Reg("outstanding", .uint(bitsFor(fifoDepth)), reset: 0)
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

            // Statistics pass, one FP operation per stage. The position counters run at the
            // dequantizer's output; S1 registers the lanes (FP32 and widened to A); S2 updates the
            // per-channel accumulators (A add for the sum, FP32 max/min for the chunk: each a
            // one-operation feedback loop, a channel set is revisited C/P cycles later); at a
            // chunk's last position S3 widens its max and min, S4 subtracts them and S5 adds the
            // width to the channel's range sum (a channel's next chunk ends n/K * C/P >= 2 cycles
            // later, so S5's read-modify-write sees the previous write).
            let statValid = deq.out_valid & loading
            let statSet = Reg("stat_set", .uint(bitsFor(sets - 1)), reset: 0)
            let statPosition = Reg("stat_pos", .uint(bitsFor(g.positions - 1)), reset: 0)
            let chunkPosition = Reg("chunk_pos", .uint(bitsFor(g.chunkSize - 1)), reset: 0)
            let chunkIndex = Reg("chunk_idx", .uint(bitsFor(g.chunks - 1)), reset: 0)
            let sums = (0..<channels).map { Reg("sum\($0)", .bits(acc.width)) }
            let ranges = (0..<channels).map { Reg("range\($0)", .bits(acc.width)) }
            let maxima = (0..<channels).map { Reg("max\($0)", .bits(32)) }
            let minima = (0..<channels).map { Reg("min\($0)", .bits(32)) }
            let lastSet = statSet == sets - 1
            let lastInChunk = chunkPosition == g.chunkSize - 1
            When(statValid) {
                statSet <== wrapIncrement(statSet, last: sets - 1)
                When(lastSet) {
                    statPosition <== wrapIncrement(statPosition, last: g.positions - 1)
                    chunkPosition <== wrapIncrement(chunkPosition, last: g.chunkSize - 1)
                    When(lastInChunk) { chunkIndex <== wrapIncrement(chunkIndex, last: g.chunks - 1) }
                }
            }

            let s1Valid = RegNext("s1_valid", statValid, reset: 0)
            let s1Set = RegNext("s1_set", statSet)
            let s1FirstPosition = RegNext("s1_first_pos", statPosition == 0)
            let s1FirstInChunk = RegNext("s1_first_in_chunk", chunkPosition == 0)
            let s1LastInChunk = RegNext("s1_last_in_chunk", lastInChunk)
            let s1FirstChunk = RegNext("s1_first_chunk", chunkIndex == 0)
            let s1LastBeat = RegNext("s1_last_beat", lastSet & (statPosition == g.positions - 1))
            let s1X = (0..<p).map { RegNext("s1_x\($0)", x[$0]) }
            let s1Wide = (0..<p).map { RegNext("s1_xa\($0)", ops.apply(toAcc, x[$0])) }

            let laneStats = (0..<p).map { l in
                let sum = mux(s1FirstPosition, s1Wide[l], ops.apply(accUnits.add, pick(sums, lane: l, lanes: p, set: s1Set), s1Wide[l]))
                let mx = mux(s1FirstInChunk, s1X[l], ops.apply(fpUnits.maximum, pick(maxima, lane: l, lanes: p, set: s1Set), s1X[l]))
                let mn = mux(s1FirstInChunk, s1X[l], ops.apply(fpUnits.minimum, pick(minima, lane: l, lanes: p, set: s1Set), s1X[l]))
                return (sum: sum, max: mx, min: mn)
            }
            When(s1Valid) {
                for l in 0..<p {
                    for s in 0..<sets {
                        When(s1Set == s) {
                            sums[s * p + l] <== laneStats[l].sum
                            maxima[s * p + l] <== laneStats[l].max
                            minima[s * p + l] <== laneStats[l].min
                        }
                    }
                }
            }
            // The chunk-range stages: set, first-chunk and last-beat flags travel with the values.
            var rangeValid = s1Valid & s1LastInChunk
            var rangeSet = s1Set, rangeFirstChunk = s1FirstChunk, rangeLastBeat = s1LastBeat
            for stage in ["s2", "s3", "s4"] {
                rangeValid = RegNext("\(stage)_valid", rangeValid, reset: 0)
                rangeSet = RegNext("\(stage)_set", rangeSet)
                rangeFirstChunk = RegNext("\(stage)_first_chunk", rangeFirstChunk)
                rangeLastBeat = RegNext("\(stage)_last_beat", rangeLastBeat)
            }
            let s2Max = (0..<p).map { RegNext("s2_max\($0)", laneStats[$0].max) }
            let s2Min = (0..<p).map { RegNext("s2_min\($0)", laneStats[$0].min) }
            let s3Max = (0..<p).map { RegNext("s3_max\($0)", ops.apply(toAcc, s2Max[$0])) }
            let s3Min = (0..<p).map { RegNext("s3_min\($0)", ops.apply(toAcc, s2Min[$0])) }
            let s4Width = (0..<p).map { RegNext("s4_width\($0)", ops.apply(accUnits.sub, s3Max[$0], s3Min[$0])) }
            When(rangeValid) {
                for l in 0..<p {
                    let range = mux(rangeFirstChunk, s4Width[l],
                                    ops.apply(accUnits.add, pick(ranges, lane: l, lanes: p, set: rangeSet), s4Width[l]))
                    for s in 0..<sets {
                        When(rangeSet == s) { ranges[s * p + l] <== range }
                    }
                }
                When(rangeLastBeat) { phase <== Phase.finalize }
            }

            // Finalize, one channel per cycle through a pipeline of one FP operation per stage:
            // F1 A mul (sum / n, range sum / K), F2 conversion to FP32, F3 mul by C(n), F4 add
            // eps, the reciprocal, F5 mul by gamma; channel index and mean travel beside it.
            let finalizeLast = channels + config.finalizeLatency - 1
            let channel = Reg("fin_channel", .uint(bitsFor(finalizeLast)), reset: 0)
            let f1Valid = RegNext("f1_valid", finalizing & (channel < channels), reset: 0)
            let f1Sum = RegNext("f1_sum", ops.apply(accUnits.mul, select(sums, by: channel), invN))
            let f1Range = RegNext("f1_range", ops.apply(accUnits.mul, select(ranges, by: channel), invK))
            let f2Valid = RegNext("f2_valid", f1Valid, reset: 0)
            let f2Mean = RegNext("f2_mean", ops.apply(toFP, f1Sum))
            let f2Range = RegNext("f2_range", ops.apply(toFP, f1Range))
            let f3Valid = RegNext("f3_valid", f2Valid, reset: 0)
            let f3Scaled = RegNext("f3_scaled", ops.apply(fpUnits.mul, f2Range, constantC))
            let recip = Instance(reciprocal, "u_reciprocal")
            recip.in_valid <== RegNext("f4_valid", f3Valid, reset: 0)
            recip.d <== RegNext("f4_d", ops.apply(fpUnits.add, f3Scaled, eps))
            let recipLatency = RangeBNReciprocalCircuit.latency(steps: g.newtonSteps)
            var resultChannel = channel, resultMean = f2Mean
            for stage in 0..<(4 + recipLatency) {
                resultChannel = RegNext("fin_channel_d\(stage)", resultChannel)
                if stage >= 2 { resultMean = RegNext("fin_mean_d\(stage)", resultMean) }
            }
            let f5Valid = RegNext("f5_valid", recip.out_valid, reset: 0)
            let f5Channel = RegNext("f5_channel", resultChannel)
            let f5Mean = RegNext("f5_mean", resultMean)
            let f5Factor = RegNext("f5_factor", ops.apply(fpUnits.mul, recip.r, select(gammas, by: resultChannel)))
            When(f5Valid) {
                for c in 0..<channels {
                    When(f5Channel == c) {
                        means[c] <== f5Mean
                        factors[c] <== f5Factor
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

            // Normalize pass: y = (x - mean) * a + beta, one FP operation per stage (N1 sub, N2
            // mul, N3 add), into the output quantizer.
            let normSet = Reg("norm_set", .uint(bitsFor(sets - 1)), reset: 0)
            let normValid = deq.out_valid & normalizing
            When(normValid) { normSet <== wrapIncrement(normSet, last: sets - 1) }
            let n1Valid = RegNext("n1_valid", normValid, reset: 0)
            let n1Set = RegNext("n1_set", normSet)
            let n1Centered = (0..<p).map { l in
                RegNext("n1_centered\(l)", ops.apply(fpUnits.sub, x[l], pick(means, lane: l, lanes: p, set: normSet)))
            }
            let n2Valid = RegNext("n2_valid", n1Valid, reset: 0)
            let n2Set = RegNext("n2_set", n1Set)
            let n2Scaled = (0..<p).map { l in
                RegNext("n2_scaled\(l)", ops.apply(fpUnits.mul, n1Centered[l], pick(factors, lane: l, lanes: p, set: n1Set)))
            }
            let n3Valid = RegNext("n3_valid", n2Valid, reset: 0)
            let y = (0..<p).map { l in
                RegNext("n3_y\(l)", ops.apply(fpUnits.add, n2Scaled[l], pick(betas, lane: l, lanes: p, set: n2Set)))
            }
            let q = Instance(quantizer, "u_quantize")
            q.in_valid <== n3Valid
            q.in_data <== packLanes(y)

            // Output FIFO; `outstanding` counts beats read and not yet delivered (credits).
            let fifo = RegisterQueue("buf", depth: fifoDepth, width: 1 + 8 + p * outWidth, countsEntries: true)
            let delivering = !fifo.isEmpty
            let pop = delivering & outReady
            fifo.update(push: q.out_valid, data: cat(q.out_last, q.out_scale, q.out_data), pop: pop)
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

    /// `registers[index]` for an index in range (another entry otherwise), as a balanced tree of
    /// muxes on the index bits: log2 C levels, where a priority chain would be C levels in front
    /// of the finalize stage's FP unit.
    static func select(_ registers: [Signal], by index: Signal) -> Signal {
        var level = registers, bit = 0
        while level.count > 1 {
            precondition(bit < index.width, "index too narrow for \(registers.count) entries")
            let high = index[bit]
            level = stride(from: 0, to: level.count, by: 2).map { i in
                i + 1 < level.count ? mux(high, level[i + 1], level[i]) : level[i]
            }
            bit += 1
        }
        return level[0]
    }

    static func wrapIncrement(_ counter: Signal, last: Int) -> Signal {
        mux(counter == last, Const(0, width: counter.width), counter &+ 1)
    }

    /// A counter that runs to the memory depth (inclusive) as the memory's address.
    static func address(_ counter: Signal, _ memory: Memory) -> Signal {
        counter.width > memory.addressWidth ? counter.truncate(to: memory.addressWidth) : counter
    }
}
