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
        let gradientQuantizer = BFPQuantizerCircuit.module(config.gradientOutputConverter)
        let phase = FSM("bwd_phase", states: ["load", "finalize", "stream"])
        let loading = phase.inState("load"), finalizing = phase.inState("finalize"), streaming = phase.inState("stream")

        // Pass 1: dL/dy beats into the gradient memory; beside each, the stored input beat at the
        // same place of the forward's last tensor is read back. Pass 2 reads the gradient memory.
        let output = RangeBNOutputQueue("dx_buf", depth: config.gradientFIFODepth)
        let readBeat = Counter("dx_beat", width: bitsFor(beats))
        let issue = streaming & (readBeat.value != beats) & output.hasRoom
        let dy = gradientInput(loading: loading, canAccept: !forward.busy, readAddress: readBeat.value, readIssue: issue)
        let ringAddress = forward.lastTensorBase! &+ dy.beat.value.zext(to: forward.memory.addressWidth)
        let storedX = storedBeat.unpack(forward.memory.read(ringAddress))
        let xSide = dequantize("u_dequantize_x", valid: RegNext("bx_valid", dy.accept, reset: 0),
                               scale: storedX.scale, data: storedX.data)
        let gradient = dy.lanes

        // The forward's last finalize wrote the bank before the one it will write next.
        let bank = !forward.scales.bank
        let sums = d.gradientSums(g: gradient.enumerated().map { RegNext("b0_g\($0.offset)", $0.element) },
                                  x: xSide.lanes, valid: xSide.valid,
                                  means: forward.scales.means, scales: forward.scales.scales, bank: bank)
        let terms = d.gradientFinalize(sums, gammas: forward.gammas, scales: forward.scales, bank: bank, running: finalizing)
        let dx = d.inputGradient(g: gradient, valid: dy.valid & streaming, terms, gammas: forward.gammas,
                                 scales: forward.scales, bank: bank, statistics: forward.statistics)
        let q = Instance(gradientQuantizer, "u_quantize_dx")
        q.in_valid <== dx.valid
        q.in_data <== packLanes(dx.values)
        output.connect("dx", name: "dx_buf", quantizer: q, dataWidth: p * g.gradientOutput.element.width, issue: issue)

        // dgamma and dbeta, one channel per handshake, while dL/dx streams.
        let parameters = d.parameterGradientPort(dgammas: terms.dgammas, dbetas: terms.dbetas, active: streaming)

        When(issue) { readBeat.value <== readBeat.value &+ 1 }
        When(sums.done) { phase.goto("finalize") }
        When(terms.done) { phase.goto("stream") }
        When(streaming & (readBeat.value == beats) & (output.outstanding == 0) & parameters.done) {
            phase.goto("load")
            dy.beat.value <== 0
            readBeat.value <== 0
            parameters.channel.value <== 0
        }
    }
}
