import Golden
import HDL

/// The conventional batch-norm unit, the baseline range batch norm's area is measured against
/// (golden model `ConventionalBatchNorm`, bit for bit): the same configuration, stream ports,
/// converters, FP units and per-channel register files as the range-BN units, with the variance
/// (a squared-deviation pass) and a Newton reciprocal square root in place of the range.
///
/// One tensor at a time, phase after phase: load (beats into the tensor memory, per-channel sums),
/// mean (C + 2 cycles), variance pass (the memory read back: (x - mean)^2 summed in A), scale
/// (C + rsqrt latency + 5 cycles: var, + eps, rsqrt, * gamma), normalize (as the range-BN unit's).
/// With `backward`, the training unit's ports and passes follow: dL/dy loaded beside the stored
/// input (sums of g and g * xhat), a finalize (dgamma, dbeta, mean g, mean g*xhat, gamma * scale),
/// and the dL/dx pass reading both memories: dx = k * ((g - mean g) - xhat * mean(g xhat)).
public enum ConventionalBNCircuit {
    /// Cycles from a tensor's first input beat to its last output beat without stalls (the unit
    /// holds one tensor: this is also its period): load, sums, mean (C + 3), variance pass and its
    /// sums, scale (C + rsqrt latency + 5), normalize pass and its drain.
    public static func cyclesPerTensor(_ config: RangeBNUnitConfig) -> Int {
        let b = config.beatsPerTensor, c = config.golden.channels
        return 3 * b + 2 * c + ConventionalBNRsqrtCircuit.latency(steps: config.golden.newtonSteps) + 18 + config.normalizeLatency
    }

    /// Cycles from the first dL/dy beat offered (as the forward's last output beat is taken) to
    /// the last dL/dx beat without stalls: load and sums, finalize (C + 3), the dL/dx pass.
    public static func backwardCyclesPerTensor(_ config: RangeBNUnitConfig) -> Int {
        2 * config.beatsPerTensor + config.golden.channels + 19 + config.gradientOutputConverter.quantizerLatency
    }

    /// The module, named `conventional_bn[_train]_<config.nameSuffix>`.
    public static func module(_ config: RangeBNUnitConfig, backward: Bool) throws -> Module {
        let parts = try RangeBNUnitParts(config)
        let rsqrt = try ConventionalBNRsqrtCircuit.module(steps: config.golden.newtonSteps)
        return Module("conventional_bn\(backward ? "_train" : "")_\(config.nameSuffix)") {
            ConventionalBNBuilder(parts: parts, rsqrt: rsqrt).build(backward: backward)
        }
    }
}

/// Builds the conventional unit's body (see `ConventionalBNCircuit`).
struct ConventionalBNBuilder {
    let parts: RangeBNUnitParts
    let rsqrt: Module
    var config: RangeBNUnitConfig { parts.config }

    func build(backward: Bool) {
        let g = config.golden, p = config.lanes, beats = config.beatsPerTensor
        let d = parts.datapath()
        let ports = parts.unitPorts()
        let (inValid, inReady, inScale, inData) = (ports.inValid, ports.inReady, ports.inScale, ports.inData)
        let (gammas, betas) = parts.parameterRegisters(ports, d)
        let states = ["load", "mean", "variance", "scale", "normalize"] + (backward ? ["gload", "gfinalize", "gstream"] : [])
        let phase = FSM("phase", states: states)
        let loading = phase.inState("load")

        // The tensor memory, read back by the variance, normalize and (backward) dL/dx passes.
        let memory = Memory("tensor", depth: max(beats, 2), .bits(parts.storedBeat.width))
        let beat = Counter("beat", width: bitsFor(beats))
        let readBeat = Counter("rd_beat", width: bitsFor(beats))
        let ready = loading & (beat.value != beats)
        inReady <== ready
        let accept = inValid & ready
        When(accept) { memory.write(beat.value.truncate(to: memory.addressWidth), parts.storedBeat.pack(["scale": inScale, "data": inData])) }
        let output = RangeBNOutputQueue("buf", depth: config.outputFIFODepth)
        let reading = phase.inState("variance") | (phase.inState("normalize") & output.hasRoom)
        let gradientLoadRead = Wire("gload_read", .bool)
        let xIssue = ((reading | (backward ? phase.inState("gstream") : Const(0, .bool))) & (readBeat.value != beats)) | gradientLoadRead
        let gradientRoom = Wire("dx_room", .bool)
        let issue = xIssue & (backward ? (!phase.inState("gstream") | gradientRoom) : Const(1, .bool))
        let stored = parts.storedBeat.unpack(memory.read(readBeat.value.truncate(to: memory.addressWidth)))
        let storedValid = RegNext("rd_valid", issue, reset: 0)
        let deq = parts.dequantize("u_dequantize", valid: accept | storedValid, scale: mux(loading, inScale, stored.scale),
                                   data: mux(loading, inData, stored.data))
        let x = deq.lanes

        // Mean: the sums of the load pass, then sum / n per channel.
        let sums = channelSums("sum", x.map { d.ops.apply(d.toAcc, $0) }, valid: deq.valid & loading, d)
        let means = d.channelRegisters("mean", width: 32)
        let invN = Const(Int(g.statFormat.fromDouble(1 / Double(g.positions))), width: d.accWidth)
        let meanDone = perChannel("mean", phase.inState("mean"), latency: 2, d) { ch, at, valid in
            let m1 = RegNext("m1_mean", d.ops.apply(d.acc.mul, d.select(sums.values, by: ch), invN))
            let m2 = RegNext("m2_mean", d.ops.apply(d.toFP, m1))
            When(valid[2]) { Self.store(means, m2, at: at[2]) }
        }

        // Variance: (x - mean)^2 in A, summed; then var / n, + eps, rsqrt, * gamma.
        let vSet = Counter("v_set", width: bitsFor(d.sets - 1))
        let varValid = deq.valid & phase.inState("variance")
        vSet.count(when: varValid, modulus: d.sets)
        let v1 = (0..<p).map { l in RegNext("v1_dev\(l)", d.ops.apply(d.fp.sub, x[l], d.pick(means, lane: l, set: vSet.value))) }
        let v2 = (0..<p).map { l in RegNext("v2_sq\(l)", d.ops.apply(d.fp.mul, v1[l], v1[l])) }
        let v2Valid = RegNext("v2_valid", RegNext("v1_valid", varValid, reset: 0), reset: 0)
        let squares = channelSums("sq", v2.map { d.ops.apply(d.toAcc, $0) }, valid: v2Valid, d)
        let scales = d.channelRegisters("scale", width: 32), factors = d.channelRegisters("factor", width: 32)
        let eps = Const(Int(g.eps), width: 32)
        let rsqrtLatency = ConventionalBNRsqrtCircuit.latency(steps: g.newtonSteps)
        let scaleDone = perChannel("scl", phase.inState("scale"), latency: 4 + rsqrtLatency, d) { ch, at, valid in
            let w1 = RegNext("w1_var", d.ops.apply(d.acc.mul, d.select(squares.values, by: ch), invN))
            let w2 = RegNext("w2_var", d.ops.apply(d.toFP, w1))
            let unit = Instance(rsqrt, "u_rsqrt")
            unit.in_valid <== RegNext("w3_valid", valid[2], reset: 0)
            unit.v <== RegNext("w3_v", d.ops.apply(d.fp.add, w2, eps))
            let last = at[4 + rsqrtLatency - 1]
            let w4Scale = RegNext("w4_scale", unit.r)
            let w4Factor = RegNext("w4_factor", d.ops.apply(d.fp.mul, unit.r, d.select(gammas, by: last)))
            When(valid[4 + rsqrtLatency]) {
                Self.store(scales, w4Scale, at: at[4 + rsqrtLatency])
                Self.store(factors, w4Factor, at: at[4 + rsqrtLatency])
            }
        }

        // Normalize, as the range-BN units.
        let normalized = d.normalize(x: x, valid: deq.valid & phase.inState("normalize"), means: means, factors: factors,
                                     betas: betas, banked: false)
        let q = Instance(parts.quantizer, "u_quantize")
        q.in_valid <== normalized.valid
        q.in_data <== packLanes(normalized.y)
        output.connect("out", name: "buf", quantizer: q, dataWidth: p * g.output.element.width,
                       issue: issue & phase.inState("normalize"))

        When(accept) { beat.value <== beat.value &+ 1 }
        When(issue) { readBeat.value <== readBeat.value &+ 1 }
        When(sums.done) { phase.goto("mean") }
        When(meanDone) {
            phase.goto("variance")
            readBeat.value <== 0
        }
        When(squares.done) { phase.goto("scale") }
        When(scaleDone) {
            phase.goto("normalize")
            readBeat.value <== 0
        }
        let normalizeDone = phase.inState("normalize") & (readBeat.value == beats) & (output.outstanding == 0)
        if backward {
            backwardPasses(phase, d, x: x, xValid: deq.valid, means: means, scales: scales, gammas: gammas,
                           readBeat: readBeat, issue: issue, gradientRoom: gradientRoom, gradientLoadRead: gradientLoadRead,
                           normalizeDone: normalizeDone, loadBeat: beat)
        } else {
            gradientRoom <== 0
            gradientLoadRead <== 0
            When(normalizeDone) {
                phase.goto("load")
                beat.value <== 0
                readBeat.value <== 0
            }
        }
    }

    /// Per-channel accumulators in A over lanes `wide` (valid when `valid`), registered, then the
    /// first position overwrites and later ones add.
    func channelSums(_ name: String, _ wide: [Signal], valid: Signal, _ d: RangeBNDatapath)
        -> (values: [Signal], done: Signal) {
        let n = config.golden.positions
        let set = Counter("\(name)_set", width: bitsFor(d.sets - 1))
        let position = Counter("\(name)_pos", width: bitsFor(n - 1))
        let lastSet = set.value == d.sets - 1
        set.count(when: valid, modulus: d.sets)
        position.count(when: valid && lastSet, modulus: n)
        let sums = d.channelRegisters(name, width: d.accWidth)
        let s1Valid = RegNext("\(name)1_valid", valid, reset: 0)
        let s1Set = RegNext("\(name)1_set", set.value)
        let s1First = RegNext("\(name)1_first", position.value == 0)
        let s1Last = RegNext("\(name)1_last", lastSet & (position.value == n - 1))
        let lanes = wide.enumerated().map { RegNext("\(name)1_x\($0.offset)", $0.element) }
        let next = lanes.indices.map { l in
            mux(s1First, lanes[l], d.ops.apply(d.acc.add, d.pick(sums, lane: l, set: s1Set), lanes[l]))
        }
        When(s1Valid) { d.write(sums, next, set: s1Set) }
        return (sums, RegNext("\(name)_done", s1Valid & s1Last, reset: 0))
    }

    /// A per-channel pipeline run once per phase while `running`: `body` gets the channel index,
    /// its delayed copies `at[k]` and valid bits `valid[k]` (k cycles later); returns the pulse
    /// that ends the phase after the last channel's `latency` cycles.
    func perChannel(_ name: String, _ running: Signal, latency: Int, _ d: RangeBNDatapath,
                    _ body: (Signal, [Signal], [Signal]) -> Void) -> Signal {
        let c = config.golden.channels
        let channel = Counter("\(name)_channel", width: bitsFor(c + latency))
        var at = [channel.value], valid = [running & (channel.value < c)]
        for k in 1...latency {
            at.append(RegNext("\(name)_channel_d\(k)", at.last!))
            valid.append(RegNext("\(name)_valid_d\(k)", valid.last!, reset: 0))
        }
        body(channel.value, at, valid)
        return channel.count(when: running, modulus: c + latency + 1)
    }

    static func store(_ registers: [Signal], _ value: Signal, at index: Signal) {
        for (i, r) in registers.enumerated() { When(index == i) { r <== value } }
    }
}
