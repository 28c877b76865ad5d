import Golden
import HDL

extension ConventionalBNBuilder {
    /// The conventional training unit's backward ports and passes (see `ConventionalBNCircuit`):
    /// dL/dy load beside the stored input read back (`gradientLoadRead` drives the tensor
    /// memory's read with each accepted beat), finalize, and the dL/dx pass reading both memories
    /// at `readBeat` while the dL/dx FIFO has room (`gradientRoom`).
    func backwardPasses(_ phase: FSM, _ d: RangeBNDatapath, x: [Signal], xValid: Signal, means: [Signal], scales: [Signal],
                        gammas: [Signal], readBeat: Counter, issue: Signal, gradientRoom: Signal, gradientLoadRead: Signal,
                        normalizeDone: Signal, loadBeat: Counter) {
        let g = config.golden, p = config.lanes, beats = config.beatsPerTensor
        let loading = phase.inState("gload"), streaming = phase.inState("gstream")
        let dy = parts.gradientInput(loading: loading, canAccept: Const(1, .bool), readAddress: readBeat.value,
                                     readIssue: issue & streaming)
        gradientLoadRead <== dy.accept
        let gradient = dy.lanes

        // Pass 1 as the range-BN training unit's: sums of g and g * xhat.
        let sums = d.gradientSums(g: gradient.enumerated().map { RegNext("b0_g\($0.offset)", $0.element) }, x: x,
                                  valid: xValid & loading, means: means, scales: scales, bank: nil)
        let invN = Const(Int(g.statFormat.fromDouble(1 / Double(g.positions))), width: d.accWidth)
        let dgammas = d.channelRegisters("dgamma", width: 32), dbetas = d.channelRegisters("dbeta", width: 32)
        let meanG = d.channelRegisters("mean_g", width: 32), meanGX = d.channelRegisters("mean_gx", width: 32)
        let factors = d.channelRegisters("k", width: 32)
        let finalized = perChannel("gfin", phase.inState("gfinalize"), latency: 2, d) { ch, at, valid in
            let sg = d.select(sums.sg, by: ch), sgx = d.select(sums.sgx, by: ch)
            let dbeta = RegNext("gf1_dbeta", d.ops.apply(d.toFP, sg))
            let dgamma = RegNext("gf1_dgamma", d.ops.apply(d.toFP, sgx))
            let mgWide = RegNext("gf1_mg", d.ops.apply(d.acc.mul, sg, invN))
            let mgxWide = RegNext("gf1_mgx", d.ops.apply(d.acc.mul, sgx, invN))
            let k = RegNext("gf1_k", d.ops.apply(d.fp.mul, d.select(gammas, by: ch), d.select(scales, by: ch)))
            let mg = RegNext("gf2_mg", d.ops.apply(d.toFP, mgWide)), mgx = RegNext("gf2_mgx", d.ops.apply(d.toFP, mgxWide))
            let dbeta2 = RegNext("gf2_dbeta", dbeta), dgamma2 = RegNext("gf2_dgamma", dgamma), k2 = RegNext("gf2_k", k)
            When(valid[2]) {
                Self.store(dbetas, dbeta2, at: at[2])
                Self.store(dgammas, dgamma2, at: at[2])
                Self.store(factors, k2, at: at[2])
                Self.store(meanG, mg, at: at[2])
                Self.store(meanGX, mgx, at: at[2])
            }
        }

        // Pass 2: E1 x - mean and g - mean g, E2 xhat, E3 xhat * mean(g xhat), E4 the difference,
        // E5 * gamma * scale.
        let output = RangeBNOutputQueue("dx_buf", depth: config.gradientFIFODepth + 1)
        gradientRoom <== output.hasRoom
        let valid = xValid & streaming
        let set = Counter("e_set", width: bitsFor(d.sets - 1))
        set.count(when: valid, modulus: d.sets)
        var sets = [set.value], stageValid = valid
        for stage in 1...4 {
            sets.append(RegNext("e\(stage)_set", sets.last!))
            stageValid = RegNext("e\(stage)_valid", stageValid, reset: 0)
        }
        let e5Valid = RegNext("e5_valid", stageValid, reset: 0)
        let dx = (0..<p).map { l -> Signal in
            let centered = RegNext("e1_centered\(l)", d.ops.apply(d.fp.sub, x[l], d.pick(means, lane: l, set: sets[0])))
            let g1 = RegNext("e1_g\(l)", d.ops.apply(d.fp.sub, gradient[l], d.pick(meanG, lane: l, set: sets[0])))
            let xhat = RegNext("e2_xhat\(l)", d.ops.apply(d.fp.mul, centered, d.pick(scales, lane: l, set: sets[1])))
            let g2 = RegNext("e2_g\(l)", g1)
            let t = RegNext("e3_t\(l)", d.ops.apply(d.fp.mul, xhat, d.pick(meanGX, lane: l, set: sets[2])))
            let g3 = RegNext("e3_g\(l)", g2)
            let u = RegNext("e4_u\(l)", d.ops.apply(d.fp.sub, g3, t))
            return RegNext("e5_dx\(l)", d.ops.apply(d.fp.mul, d.pick(factors, lane: l, set: sets[4]), u))
        }
        let q = Instance(BFPQuantizerCircuit.module(config.gradientOutputConverter), "u_quantize_dx")
        q.in_valid <== e5Valid
        q.in_data <== packLanes(dx)
        output.connect("dx", name: "dx_buf", quantizer: q, dataWidth: p * g.gradientOutput.element.width, issue: issue & streaming)

        let parameters = d.parameterGradientPort(dgammas: dgammas, dbetas: dbetas, active: streaming)

        When(normalizeDone) {
            phase.goto("gload")
            readBeat.value <== 0
        }
        When(sums.done) { phase.goto("gfinalize") }
        When(finalized) {
            phase.goto("gstream")
            readBeat.value <== 0
        }
        When(streaming & (readBeat.value == beats) & (output.outstanding == 0) & parameters.done) {
            phase.goto("load")
            loadBeat.value <== 0
            readBeat.value <== 0
            dy.beat.value <== 0
            parameters.channel.value <== 0
        }
    }
}
