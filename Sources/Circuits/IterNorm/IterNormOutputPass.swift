import Golden
import HDL

/// The output pass's result: the output beat stream and the slot it frees.
struct IterNormOutputResult {
    /// The output register's inputs: valid, data and last of the beat (their registers are
    /// `out_valid_q`, `out_data_q`, `out_last_q`).
    let beat: Staged<IterNormBeatTag>
    let data: Signal
    /// The vector's last beat is read from `releaseSlot`.
    let release: Signal, releaseSlot: Signal
}

extension IterNormDatapath {
    /// The scalar form's output pass: starts reading `readLead` cycles before `r` is ready and
    /// recomputes `y'` from the buffer (the same ops as pass 2, so the same bits), or, with
    /// `centred` (the wide mode), reads the `y'` pass 2 stored.
    func scalarOutputPass(_ it: IterNormScalarResult, buffer: Memory, centred: Memory?, _ constants: IterNormLengthConstants,
                          _ ports: IterNormPorts) -> IterNormOutputResult {
        let start = it.outputStart
        let seq = sequencer("out", start: start.valid, at: start.timing, slot: start.payload.slot, beats: constants.beats)
        func heldResult() -> IterNormResultFlags {
            let r = it.r.payload
            return IterNormResultFlags(r: p.latch("r_now", it.r.valid, r.r), degenerate: p.latch("deg_now", it.r.valid, r.degenerate),
                                       nan: p.latch("nan_now", it.r.valid, r.nan))
        }
        if let centred {
            let held = heldResult()
            let stored = centred.read(cat(seq.slot, seq.beat), enable: p.advance, name: "centred_out")
            return outputPass(seq: seq, lanes: lanes(of: stored, a), front: [], held, ports)
        }
        let heldNegTx = p.latch("out_negtx", start.valid, start.payload.negTx!)
        let heldMuNeg = start.payload.muNeg.map { p.latch("out_muneg", start.valid, $0) }
        let data = buffer.read(cat(seq.slot, seq.beat), enable: p.advance, name: "buffer_out")
        let negTxRead = p.stage("o_ntx", heldNegTx)
        // -mu' meets the lane values after the read and the stages before the last one.
        let muNeg = heldMuNeg.map { held in (0..<macro.centringStages).reduce(held) { m, _ in p.stage("o_mu", m) } }
        let front = centring(negTx: negTxRead, dScaled: nil, muNeg: muNeg.map { m in { m } }).map(\.op)
        let held = heldResult()
        return outputPass(seq: seq, lanes: lanes(of: data, f), front: front, held, ports)
    }

    /// The output pass from its sequencer on: `lanes` are the vector's values read at the
    /// sequencer's beat (one cycle after it), `front` the lane operations before `g * v` (one
    /// stage each); then `* r`, `+ beta`, the conversion to `F` and the special-value mux.
    func outputPass(seq: IterNormSequencer, lanes laneValues: [Signal], front: [(Signal) -> Signal],
                    _ result: IterNormResultFlags, _ ports: IterNormPorts) -> IterNormOutputResult {
        var gamma: Signal?, beta: Signal?
        if let load = ports.parameters {
            let memories = parameterMemories(load)
            gamma = memories.gamma.read(seq.beat, enable: p.advance, name: "gamma_out")
            beta = memories.beta?.read(seq.beat, enable: p.advance, name: "beta_out")
        }
        var stream = readStream("o", seq, first: false)
        stream.payload.beta = beta
        var v = laneValues
        var g = gamma.map { lanes(of: $0, f) }
        var bA = beta.map { lanes(of: $0, f) }
        // The parameters widen to A in the first stage.
        var widened = false
        for op in front {
            v = v.map { p.stage("o_y", op($0)) }
            g = g.map { $0.map { p.stage("o_g", widened ? $0 : widen($0)) } }
            bA = bA.map { $0.map { p.stage("o_b", widened ? $0 : widen($0)) } }
            widened = true
            stream = p.next("o", stream)
        }
        if var gl = g {
            if !widened {
                // Nothing before g * v: widen gamma (and beta) in a stage of their own.
                v = v.map { p.stage("o_y", $0) }
                gl = gl.map { p.stage("o_g", widen($0)) }
                bA = bA.map { $0.map { p.stage("o_b", widen($0)) } }
                widened = true
                stream = p.next("o", stream)
            }
            // v * g is g * v bit for bit; gamma, with F's precision, is the narrow operand.
            v = (0..<lanes).map { i in
                p.stage("o_gy", units.mulByGamma.map { p.unit($0, v[i], gl[i]) } ?? p.unit(units.mulA, gl[i], v[i]))
            }
            bA = bA.map { $0.map { p.stage("o_b", $0) } }
            stream = p.next("o", stream)
        }
        // v meets r here. Then * r, (+ beta), convert to F and the special-value mux.
        var z = (0..<lanes).map { p.unit(units.mulA, v[$0], result.r) }
        var flagsNaN = result.nan, flagsDeg = result.degenerate
        if let bl = bA {
            z = (0..<lanes).map { p.stage("o_zr", z[$0]) }
            let bHeld = bl.map { p.stage("o_b", $0) }
            flagsNaN = p.stage("o_fn", flagsNaN)
            flagsDeg = p.stage("o_fd", flagsDeg)
            stream = p.next("o", stream)
            z = (0..<lanes).map { p.unit(units.addA, z[$0], bHeld[$0]) }
        }
        if let narrow = units.narrow {
            // A multiply or an add followed by a rounding conversion is longer than one multiply.
            z = z.map { p.stage("o_z", $0) }
            flagsNaN = p.stage("o_fn", flagsNaN)
            flagsDeg = p.stage("o_fd", flagsDeg)
            stream = p.next("o", stream)
            z = z.map { p.unit(narrow, $0) }
        }
        let nanBits = encodingConst(f.canonicalNaN ?? 0, width: f.width)
        let zeroBits = Const(0, width: f.width)
        let special = stream.payload.beta.map { lanes(of: $0, f) } ?? Array(repeating: zeroBits, count: lanes)
        let lanesOut = (0..<lanes).map { i in mux(flagsNaN, nanBits, mux(flagsDeg, special[i], z[i])) }
        // The special outputs: a NaN vector, and the degenerate ones (zero or infinite norm, an
        // all-equal LayerNorm vector) that output beta (or 0).
        Cover("nan_vector_beat", stream.valid && flagsNaN)
        Cover("degenerate_vector_beat", stream.valid && flagsDeg && !flagsNaN)
        return IterNormOutputResult(beat: stream, data: cat(lanesOut.reversed()), release: seq.last, releaseSlot: seq.slot)
    }

    /// The gamma (and beta) memories, written from the parameter load port.
    private func parameterMemories(_ load: IterNormParameterPorts) -> (gamma: Memory, beta: Memory?) {
        let gamma = Memory("gamma", depth: 1 << widths.beat, .bits(lanes * f.width))
        let beta = load.beta.map { _ in Memory("beta", depth: 1 << widths.beat, .bits(lanes * f.width)) }
        When(load.enable) {
            gamma.write(load.address, load.gamma)
            if let beta, let data = load.beta { beta.write(load.address, data) }
        }
        return (gamma, beta)
    }
}
