import Golden
import HDL

extension RangeBNUnitParts {
    /// Declares the backward ports and builds the backward pass (see `RangeBNTrainingCircuit`)
    /// over what `forward` kept: the stored input beats of its last tensor, that tensor's means,
    /// scales and chunk argmax/argmin, and gamma.
    func backward(_ forward: RangeBNForwardState) {
        let g = config.golden, p = config.lanes
        let beats = config.beatsPerTensor
        let d = forward.datapath
        let gradientDequantizer = BFPDequantizerCircuit.module(config.gradientInputConverter)
        let gradientQuantizer = BFPQuantizerCircuit.module(config.gradientOutputConverter)
        let gradientBeat = BundleLayout(["scale": .bits(8), "data": .bits(p * g.gradientInput.element.width)])
        let dyValid = Input("dy_valid", .bool)
        let dyReady = Output("dy_ready", .bool)
        let dyScale = Input("dy_scale", .bits(8))
        let dyData = Input("dy_data", gradientBeat.fields[1].type)

        let phase = FSM("bwd_phase", states: ["load", "finalize", "stream"])
        let loading = phase.inState("load"), finalizing = phase.inState("finalize"), streaming = phase.inState("stream")

        // Pass 1: dL/dy beats into the gradient memory; beside each, the stored input beat at the
        // same place of the forward's last tensor is read back.
        let memory = Memory("gradient", depth: max(beats, 2), .bits(gradientBeat.width))
        let beat = Counter("bwd_beat", width: bitsFor(beats))
        let ready = loading & !forward.busy & (beat.value != beats)
        dyReady <== ready
        let accept = dyValid & ready
        When(accept) { memory.write(beat.value.truncate(to: memory.addressWidth), gradientBeat.pack(["scale": dyScale, "data": dyData])) }
        let ringAddress = forward.lastTensorBase! &+ beat.value.zext(to: forward.memory.addressWidth)
        let storedX = storedBeat.unpack(forward.memory.read(ringAddress))
        let xSide = Instance(dequantizer, "u_dequantize_x")
        xSide.in_valid <== RegNext("bx_valid", accept, reset: 0)
        xSide.in_scale <== storedX.scale
        xSide.in_data <== storedX.data

        // Pass 2 reads the gradient memory back; one gradient dequantizer serves both passes.
        let output = RangeBNOutputQueue("dx_buf", depth: config.gradientFIFODepth)
        let readBeat = Counter("dx_beat", width: bitsFor(beats))
        let issue = streaming & (readBeat.value != beats) & output.hasRoom
        let stored = gradientBeat.unpack(memory.read(readBeat.value.truncate(to: memory.addressWidth)))
        let storedValid = RegNext("dx_rd_valid", issue, reset: 0)
        let gSide = Instance(gradientDequantizer, "u_dequantize_dy")
        gSide.in_valid <== accept | storedValid
        gSide.in_scale <== mux(loading, dyScale, stored.scale)
        gSide.in_data <== mux(loading, dyData, stored.data)
        let gradient = (0..<p).map { gSide.out_data.lane($0, width: 32) }

        // The forward's last finalize wrote the bank before the one it will write next.
        let bank = !forward.scales.bank
        let sums = d.gradientSums(g: gradient.enumerated().map { RegNext("b0_g\($0.offset)", $0.element) },
                                  x: (0..<p).map { xSide.out_data.lane($0, width: 32) }, valid: xSide.out_valid,
                                  means: forward.scales.means, scales: forward.scales.scales, bank: bank)
        let terms = d.gradientFinalize(sums, gammas: forward.gammas, scales: forward.scales, bank: bank, running: finalizing)
        let dx = d.inputGradient(g: gradient, valid: gSide.out_valid & streaming, terms, gammas: forward.gammas,
                                 scales: forward.scales, bank: bank, statistics: forward.statistics)
        let q = Instance(gradientQuantizer, "u_quantize_dx")
        q.in_valid <== dx.valid
        q.in_data <== packLanes(dx.values)
        output.connect("dx", name: "dx_buf", quantizer: q, dataWidth: p * g.gradientOutput.element.width, issue: issue)

        // dgamma and dbeta, one channel per handshake, while dL/dx streams.
        let parameters = d.parameterGradientPort(dgammas: terms.dgammas, dbetas: terms.dbetas, active: streaming)

        When(accept) { beat.value <== beat.value &+ 1 }
        When(issue) { readBeat.value <== readBeat.value &+ 1 }
        When(sums.done) { phase.goto("finalize") }
        When(terms.done) { phase.goto("stream") }
        When(streaming & (readBeat.value == beats) & (output.outstanding == 0) & parameters.done) {
            phase.goto("load")
            beat.value <== 0
            readBeat.value <== 0
            parameters.channel.value <== 0
        }
    }
}
