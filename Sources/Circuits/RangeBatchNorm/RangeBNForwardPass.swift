import Golden
import HDL

/// The submodules and beat layouts of the range-BN units, built once per configuration.
struct RangeBNUnitParts {
    let config: RangeBNUnitConfig
    let fp: FloatUnits, acc: FloatUnits
    let reciprocal: Module, dequantizer: Module, quantizer: Module
    /// A beat as the tensor memory stores it.
    let storedBeat: BundleLayout

    init(_ config: RangeBNUnitConfig) throws {
        let g = config.golden, p = config.lanes
        self.config = config
        fp = try FloatUnits(.fp32)
        acc = try FloatUnits(g.statFormat)
        reciprocal = try RangeBNReciprocalCircuit.module(steps: g.newtonSteps)
        dequantizer = BFPDequantizerCircuit.module(config.inputConverter)
        quantizer = BFPQuantizerCircuit.module(config.outputConverter)
        storedBeat = BundleLayout(["scale": .bits(8), "data": .bits(p * g.input.element.width)])
    }

    /// A datapath over these units, declared in the module being built.
    func datapath() -> RangeBNDatapath {
        RangeBNDatapath(config: config, fp: RangeBNUnitModules(fp), acc: RangeBNUnitModules(acc),
                        toAcc: fp.convertUnit(to: acc), toFP: acc.convertUnit(to: fp),
                        ops: FPUnitInstances(), accWidth: acc.width)
    }
}

/// The block input stream and the per-channel parameter port every range-BN unit has:
/// `in_valid/ready/scale/data`, `param_valid/channel/gamma/beta`.
struct RangeBNUnitPorts {
    let inValid: Signal, inReady: Signal, inScale: Signal, inData: Signal
    let paramValid: Signal, paramChannel: Signal, paramGamma: Signal, paramBeta: Signal
}

extension RangeBNUnitParts {
    /// Declares the input stream and parameter ports.
    func unitPorts() -> RangeBNUnitPorts {
        let g = config.golden
        return RangeBNUnitPorts(inValid: Input("in_valid", .bool), inReady: Output("in_ready", .bool),
                                inScale: Input("in_scale", .bits(8)), inData: Input("in_data", storedBeat.fields[1].type),
                                paramValid: Input("param_valid", .bool),
                                paramChannel: Input("param_channel", .uint(bitsFor(g.channels - 1))),
                                paramGamma: Input("param_gamma", .bits(32)), paramBeta: Input("param_beta", .bits(32)))
    }

    /// gamma and beta per channel (registers: every lane reads its channel), written from the
    /// parameter port.
    func parameterRegisters(_ ports: RangeBNUnitPorts, _ d: RangeBNDatapath) -> (gammas: [Signal], betas: [Signal]) {
        let gammas = d.channelRegisters("gamma", width: 32), betas = d.channelRegisters("beta", width: 32)
        When(ports.paramValid) {
            for c in 0..<config.golden.channels {
                When(ports.paramChannel == c) {
                    gammas[c] <== ports.paramGamma
                    betas[c] <== ports.paramBeta
                }
            }
        }
        return (gammas, betas)
    }
}

/// What the forward pass leaves on chip for a backward pass: the ring memory of stored input
/// beats, the per-channel values of the last finalized tensor and its chunks' argmax/argmin.
struct RangeBNForwardState {
    let datapath: RangeBNDatapath
    let memory: Memory
    let gammas: [Signal]
    let statistics: RangeBNStatistics
    let scales: RangeBNChannelScales
    /// Ring address of the first beat of the tensor finalized last (with `keepsScales`).
    let lastTensorBase: Signal?
    /// 1 while the forward pass holds a tensor not yet finalized or normalized.
    let busy: Signal
}

extension RangeBNUnitParts {
    /// Declares the forward ports and builds the forward pass (see `RangeBNUnitCircuit`) in the
    /// module being built. `tracksExtremes` and `keepsScales` keep what a backward pass needs.
    @discardableResult
    func forward(tracksExtremes: Bool = false, keepsScales: Bool = false) -> RangeBNForwardState {
        let g = config.golden, p = config.lanes
        let beats = config.beatsPerTensor, ringDepth = 2 * beats
        let d = datapath()
        let ports = unitPorts()
        let (inValid, inReady, inScale, inData) = (ports.inValid, ports.inReady, ports.inScale, ports.inData)
        let runningChannel = Input("running_channel", .uint(bitsFor(g.channels - 1)))
        let runningMean = Output("running_mean", .bits(32))
        let runningRange = Output("running_range", .bits(32))
        let (gammas, betas) = parameterRegisters(ports, d)

        // The ring memory of two tensors: `held` beats written and not yet read back. A tensor's
        // last beat waits while a finalize still reads the copied statistics it would replace.
        let memory = Memory("tensor", depth: ringDepth, .bits(storedBeat.width))
        let writeAddress = Reg("wr_addr", .uint(memory.addressWidth), reset: 0)
        let readAddress = Reg("rd_addr", .uint(memory.addressWidth), reset: 0)
        let held = Reg("held", .uint(bitsFor(ringDepth)), reset: 0)
        let loadBeat = Counter("load_beat", width: bitsFor(beats - 1))

        // Statistics pass on the incoming beats.
        let finalizeBusy = Wire("fin_busy", .bool)
        let finalizePending = Reg("fin_pending", .bool, reset: 0)
        let ready = (held != ringDepth) & ((loadBeat.value != beats - 1) | !finalizeBusy)
        inReady <== ready
        let accept = inValid & ready
        When(accept) {
            memory.write(writeAddress, storedBeat.pack(["scale": inScale, "data": inData]))
            writeAddress <== wrapIncrement(writeAddress, modulus: ringDepth)
        }
        loadBeat.count(when: accept, modulus: beats)
        let loadSide = dequantize("u_dequantize_in", valid: accept, scale: inScale, data: inData)
        let statistics = d.statistics(x: loadSide.lanes, valid: loadSide.valid, tracksExtremes: tracksExtremes)

        // Copies of the sums and range sums, taken as they complete, for the finalize.
        let sums = d.channelRegisters("snap_sum", width: d.accWidth)
        let ranges = d.channelRegisters("snap_range", width: d.accWidth)
        When(statistics.sumsDone) { for c in 0..<g.channels { sums[c] <== statistics.sums[c] } }
        let rangesDone = RegNext("ranges_done", statistics.done, reset: 0)
        When(rangesDone) { for c in 0..<g.channels { ranges[c] <== statistics.ranges[c] } }
        let start = RegNext("fin_start", rangesDone, reset: 0)
        let (scales, running) = d.finalize(sums: sums, ranges: ranges, start: start, gammas: gammas, betas: betas,
                                           reciprocal: reciprocal, keepsScales: keepsScales)
        finalizeBusy <== scales.busy | finalizePending
        When(accept & (loadBeat.value == beats - 1)) { finalizePending <== 1 }
        When(start) { finalizePending <== 0 }
        runningMean <== d.select(running.means, by: runningChannel)
        runningRange <== d.select(running.ranges, by: runningChannel)
        let finalized = (0..<2).map { Reg("bank_ready\($0)", .bool, reset: 0) }
        When(scales.done) {
            When(scales.bank) { finalized[1] <== 1 }.Otherwise { finalized[0] <== 1 }
        }
        // The tensor of the last finalize sits in the ring half its parity (the bank) selects.
        let lastTensorBase = keepsScales
            ? mux(scales.bank, Const(0, width: memory.addressWidth), Const(beats, width: memory.addressWidth)) : nil

        // Normalize pass: tensor after tensor from the ring while the output FIFO has room for
        // every beat in flight (`outstanding` credits).
        let normalizeBank = Reg("issue_bank", .bool, reset: 0)
        let issueBeat = Counter("issue_beat", width: bitsFor(beats - 1))
        let output = RangeBNOutputQueue("buf", depth: config.outputFIFODepth)
        let issue = mux(normalizeBank, finalized[1], finalized[0]) & output.hasRoom
        When(issue) { readAddress <== wrapIncrement(readAddress, modulus: ringDepth) }
        When(issueBeat.count(when: issue, modulus: beats)) {
            normalizeBank <== !normalizeBank
            When(normalizeBank) { finalized[1] <== 0 }.Otherwise { finalized[0] <== 0 }
        }
        held <== held &+ accept.zext(to: held.width) &- issue.zext(to: held.width)
        let stored = storedBeat.unpack(memory.read(readAddress))
        let normalizeSide = dequantize("u_dequantize_out", valid: RegNext("rd_valid", issue, reset: 0),
                                       scale: stored.scale, data: stored.data)
        let normalized = d.normalize(x: normalizeSide.lanes, valid: normalizeSide.valid, means: scales.means, factors: scales.factors,
                                     betas: scales.betas)
        let q = Instance(quantizer, "u_quantize")
        q.in_valid <== normalized.valid
        q.in_data <== packLanes(normalized.y)

        output.connect("out", name: "buf", quantizer: q, dataWidth: p * g.output.element.width, issue: issue)

        let busy = (held != 0) | (output.outstanding != 0) | (loadBeat.value != 0) | finalizeBusy | finalized[0] | finalized[1]
        return RangeBNForwardState(datapath: d, memory: memory, gammas: gammas, statistics: statistics, scales: scales,
                                   lastTensorBase: lastTensorBase, busy: busy)
    }
}
