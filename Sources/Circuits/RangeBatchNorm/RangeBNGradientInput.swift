import HDL

/// The dL/dy side of a training unit: the `dy_valid/ready/scale/data` port, the gradient memory it
/// fills, and one gradient dequantizer serving both the load (incoming beats) and the dL/dx pass
/// (the memory read back).
struct RangeBNGradientInput {
    /// 1 in a cycle a dL/dy beat is taken.
    let accept: Signal
    /// Beats taken, 0...n*C/P; the caller's pass resets it.
    let beat: Counter
    /// Dequantized FP32 lanes and their valid bit, a cycle after the beat was taken or read.
    let lanes: [Signal]
    let valid: Signal
}

extension RangeBNUnitParts {
    /// Declares the port and the gradient memory: beats are taken while `loading & canAccept`
    /// until a tensor's worth is in; the memory is read at `readAddress` when `readIssue`.
    func gradientInput(loading: Signal, canAccept: Signal, readAddress: Signal, readIssue: Signal) -> RangeBNGradientInput {
        let beats = config.beatsPerTensor
        let gradientBeat = BundleLayout(["scale": .bits(8), "data": .bits(config.lanes * config.golden.gradientInput.element.width)])
        let dyValid = Input("dy_valid", .bool)
        let dyReady = Output("dy_ready", .bool)
        let dyScale = Input("dy_scale", .bits(8))
        let dyData = Input("dy_data", gradientBeat.fields[1].type)
        let memory = Memory("gradient", depth: max(beats, 2), .bits(gradientBeat.width))
        let beat = Counter("dy_beat", width: bitsFor(beats))
        let ready = loading & canAccept & (beat.value != beats)
        dyReady <== ready
        let accept = dyValid & ready
        When(accept) {
            memory.write(beat.value.truncate(to: memory.addressWidth), gradientBeat.pack(["scale": dyScale, "data": dyData]))
            beat.value <== beat.value &+ 1
        }
        let stored = gradientBeat.unpack(memory.read(readAddress.truncate(to: memory.addressWidth)))
        let dequantized = dequantize("u_dequantize_dy", BFPDequantizerCircuit.module(config.gradientInputConverter),
                                     valid: accept | RegNext("dy_rd_valid", readIssue, reset: 0),
                                     scale: mux(loading, dyScale, stored.scale), data: mux(loading, dyData, stored.data))
        return RangeBNGradientInput(accept: accept, beat: beat, lanes: dequantized.lanes, valid: dequantized.valid)
    }

    /// An instance `name` of a BFP -> FP32 dequantizer (`module`, the input side's by default) fed
    /// with `valid`, `scale`, `data`: its P FP32 lanes and their valid bit, a cycle later.
    func dequantize(_ name: String, _ module: Module? = nil, valid: Signal, scale: Signal, data: Signal)
        -> (lanes: [Signal], valid: Signal) {
        let unit = Instance(module ?? dequantizer, name)
        unit.in_valid <== valid
        unit.in_scale <== scale
        unit.in_data <== data
        return ((0..<config.lanes).map { unit.out_data.lane($0, width: 32) }, unit.out_valid)
    }
}
