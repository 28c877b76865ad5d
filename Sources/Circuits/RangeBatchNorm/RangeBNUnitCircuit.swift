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
        let beats = config.beatsPerTensor
        let fp = try FloatUnits(.fp32)
        let acc = try FloatUnits(g.statFormat)
        let reciprocal = try RangeBNReciprocalCircuit.module(steps: g.newtonSteps)
        let dequantizer = BFPDequantizerCircuit.module(config.inputConverter)
        let quantizer = BFPQuantizerCircuit.module(config.outputConverter)
        let fifoDepth = config.outputFIFODepth
        // A beat as the tensor memory stores it, and an output beat as the FIFO holds it.
        let storedBeat = BundleLayout(["scale": .bits(8), "data": .bits(p * g.input.element.width)])
        let outputBeat = BundleLayout(["last": .bool, "scale": .bits(8), "data": .bits(p * g.output.element.width)])

        return Module("rangebn_\(config.nameSuffix)") {
            let d = RangeBNDatapath(config: config, fp: RangeBNUnitModules(fp), acc: RangeBNUnitModules(acc),
                                    toAcc: fp.convertUnit(to: acc), toFP: acc.convertUnit(to: fp),
                                    ops: FPUnitInstances(), accWidth: acc.width)
            let inValid = Input("in_valid", .bool)
            let inReady = Output("in_ready", .bool)
            let inScale = Input("in_scale", .bits(8))
            let inData = Input("in_data", storedBeat.fields[1].type)
            let paramValid = Input("param_valid", .bool)
            let paramChannel = Input("param_channel", .uint(bitsFor(g.channels - 1)))
            let paramGamma = Input("param_gamma", .bits(32))
            let paramBeta = Input("param_beta", .bits(32))
            let outValid = Output("out_valid", .bool)
            let outReady = Input("out_ready", .bool)
            let outLast = Output("out_last", .bool)
            let outScale = Output("out_scale", .bits(8))
            let outData = Output("out_data", outputBeat.fields[2].type)

            let phase = FSM("phase", states: ["load", "finalize", "normalize"])
            let loading = phase.inState("load"), finalizing = phase.inState("finalize")
            let normalizing = phase.inState("normalize")

            // Per-channel parameters (registers: every lane reads its channel).
            let gammas = d.channelRegisters("gamma", width: 32)
            let betas = d.channelRegisters("beta", width: 32)
            When(paramValid) {
                for c in 0..<g.channels {
                    When(paramChannel == c) {
                        gammas[c] <== paramGamma
                        betas[c] <== paramBeta
                    }
                }
            }

            // The tensor memory: scale and elements of every input beat, read back to normalize
            // while the output FIFO has room for every beat in flight (`outstanding` credits).
            let memory = Memory("tensor", depth: max(beats, 2), .bits(storedBeat.width))
            let writeAddress = Reg("wr_addr", .uint(bitsFor(beats)), reset: 0)
            let readAddress = Reg("rd_addr", .uint(bitsFor(beats)), reset: 0)
            let outstanding = Reg("outstanding", .uint(bitsFor(fifoDepth)), reset: 0)
            let ready = loading & (writeAddress != beats)
            inReady <== ready
            let accept = inValid & ready
            When(accept) {
                memory.write(address(writeAddress, memory), storedBeat.pack(["scale": inScale, "data": inData]))
                writeAddress <== writeAddress &+ 1
            }
            let issue = normalizing & (readAddress != beats) & (outstanding < fifoDepth)
            When(issue) { readAddress <== readAddress &+ 1 }
            let stored = storedBeat.unpack(memory.read(address(readAddress, memory)))
            let storedValid = RegNext("rd_valid", issue, reset: 0)

            // One dequantizer for both passes: input beats while loading, stored beats after.
            let deq = Instance(dequantizer, "u_dequantize")
            deq.in_valid <== accept | storedValid
            deq.in_scale <== mux(loading, inScale, stored.scale)
            deq.in_data <== mux(loading, inData, stored.data)
            let x = (0..<p).map { deq.out_data.lane($0, width: 32) }

            let statistics = d.statistics(x: x, valid: deq.out_valid & loading)
            let scales = d.finalize(statistics, gammas: gammas, reciprocal: reciprocal, running: finalizing)
            let normalized = d.normalize(x: x, valid: deq.out_valid & normalizing, scales, betas: betas)
            let q = Instance(quantizer, "u_quantize")
            q.in_valid <== normalized.valid
            q.in_data <== packLanes(normalized.y)

            // Output FIFO; `outstanding` counts beats read and not yet delivered (credits).
            let fifo = RegisterQueue("buf", depth: fifoDepth, width: outputBeat.width, countsEntries: true)
            let delivering = !fifo.isEmpty
            let pop = delivering & outReady
            fifo.update(push: q.out_valid, data: outputBeat.pack(["last": q.out_last, "scale": q.out_scale, "data": q.out_data]), pop: pop)
            outstanding <== outstanding &+ issue.zext(to: outstanding.width) &- pop.zext(to: outstanding.width)
            let head = outputBeat.unpack(fifo.head)
            outValid <== delivering
            outLast <== head.last
            outScale <== head.scale
            outData <== head.data

            When(statistics.done) { phase.goto("finalize") }
            When(scales.done) { phase.goto("normalize") }
            When(normalizing & (readAddress == beats) & (outstanding == 0)) {
                phase.goto("load")
                readAddress <== 0
                writeAddress <== 0
            }
        }
    }

    /// A counter that runs to the memory depth (inclusive) as the memory's address.
    static func address(_ counter: Signal, _ memory: Memory) -> Signal {
        counter.width > memory.addressWidth ? counter.truncate(to: memory.addressWidth) : counter
    }
}
