import Golden
import HDL

extension IterNormDatapath {
    /// The vector form after pass 2 (docs/iternorm-architecture.md, "Vector form"): one
    /// iteration engine that passes over the vector `K` times, rescaling every element into the
    /// V buffer and recomputing `u` with the adder tree, then the output pass from V with
    /// `r = sqrt(d)`. One vector is in the engine at a time (the input pass admits a vector only
    /// into an empty macro), so the engine's scalars are plain latches.
    func vectorForm(_ norm: Staged<IterNormSquaredNorm>, buffer: Memory, _ constants: IterNormLengthConstants,
                    _ ports: IterNormPorts) -> IterNormOutputResult {
        let valid = norm.valid, s = norm.payload.s, sb = norm.payload.sideband
        let start = iterationStart(s: s, sideband: sb)
        let ew = units.iterationShiftWidth
        let degenerate = p.latch("v_deg", valid, start.degenerate)
        let nan = p.latch("v_nan", valid, sb.nan ?? Const(0, width: 1))
        let negE0 = p.latch("v_nege0", valid, start.negE0)
        let slot = p.latch("v_slot", valid, sb.slot)
        let negTx = p.latch("v_negtx", valid, sb.negTx!)
        let muNeg = sb.muNeg.map { p.latch("v_muneg", valid, $0) }

        // The iteration index and t, which gives m = (1 + eta) - t at the start of each pass.
        let kWidth = bitsFor(c.iterations)
        let k = p.register("v_k", .uint(kWidth), reset: 0)
        let lastPass = k == c.iterations - 1
        let t = p.register("v_t", .bits(a.width))
        let tUpdate = Wire("v_t_update", .bool)
        let nextT = Wire("v_t_next", .bits(a.width))
        t <== mux(valid, p.unit(units.scaleA, s, start.tShift), mux(tUpdate, nextT, t))
        k <== mux(valid, Const(0, width: kWidth), mux(tUpdate, k &+ 1, k))
        let mStart = p.control("v_mstart", valid || tUpdate)
        let onePlusEta = encodingConst(c.onePlusEta, width: a.width)
        let m = p.latch("v_m", mStart, p.unit(units.addA, onePlusEta, negate(t, a)))
        let passStart = p.control("v_pass_start", mStart)
        // The first pass starts two cycles after s (mStart, passStart).
        let firstPassStart = norm.timing + 2

        // e = scaleB(epsTerm, -2 e0), then e = (e m) m in every pass (while the pass reads).
        let e = sb.epsTerm.map { epsTerm -> Signal in
            let eReg = p.register("v_e", .bits(a.width))
            let em = p.latch("v_em", passStart, p.unit(units.mulA, eReg, m))
            let negTwiceE0 = signedConst(0, width: ew) &- start.twiceE0
            eReg <== mux(valid, p.unit(units.scaleA, epsTerm, negTwiceE0),
                         mux(p.control("v_em_done", passStart), p.unit(units.mulA, em, m), eReg))
            return eReg
        }

        // One pass: the first reads x and forms v = scaleB(y', -e0); later passes read v.
        let seq = sequencer("v", start: passStart, at: firstPassStart, slot: slot, beats: constants.beats)
        let x = buffer.read(cat(seq.slot, seq.beat), enable: p.advance, name: "buffer_v")
        var beat = readStream("v", seq, IterNormBeatTag(last: seq.last, beat: seq.beat))
        var y = lanes(of: x, f).map { p.stage("v_xs", p.unit(units.scaleIn, $0, negTx)) }
        beat = p.next("v", beat)
        if let muNeg {
            y = y.map { p.stage("v_y", p.unit(units.addA, $0, muNeg)) }
            beat = p.next("v", beat)
        }
        y = y.map { p.stage("v_y0", p.unit(units.scaleA, $0, negE0)) }
        beat = p.next("v", beat)
        // V is read at the beat delayed so that its data meets y here.
        let leadStages = muNeg == nil ? 2 : 3
        let vBuffer = Memory("vbuffer", depth: 1 << widths.beat, .bits(lanes * a.width))
        let vRead = vBuffer.read(p.delay("v_vaddr", seq.beat, leadStages), enable: p.advance, name: "vbuffer_v")
        let firstPass = k == 0
        let vNew = (0..<lanes).map { i in
            p.stage("v_vm", p.unit(units.mulA, mux(firstPass, y[i], vRead.lane(i, width: a.width)), m))
        }
        beat = p.next("v", beat)
        When(beat.valid && p.advance) { vBuffer.write(beat.payload.beat!, cat(vNew.reversed())) }
        // The output pass starts one beat behind the last pass's writes.
        let outStart = p.control("v_out_start", beat.valid && beat.payload.first! && lastPass)

        // u = sumTree(v_i^2) (+ e), t = scaleB(u, -n); the last pass's u is not needed.
        let squares = vNew.map { p.stage("v_q", p.unit(units.mulA, $0, $0)) }
        let sumBeat = p.next("v", beat)
        let tree = p.tree("v_sum", squares) { l, r in p.unit(units.addA, l, r) }
        let accBeat = p.next("v", sumBeat, cycles: log2P)
        let acc = p.accumulator("v_acc", .bits(a.width), tree, valid: accBeat.valid, first: accBeat.payload.first!) {
            p.unit(units.addA, $0, $1)
        }
        var u = Staged(valid: p.control("v_done", accBeat.valid && accBeat.payload.last && !lastPass), payload: acc,
                       timing: accBeat.timing + 1)
        if let e {
            u = Staged(valid: p.control("v_uv", u.valid), payload: p.stage("v_u", p.unit(units.addA, acc, e)), timing: u.timing + 1)
        }
        let negEta = signedConst(-c.etaShift, width: ew)
        nextT <== p.stage("v_tn", p.unit(units.scaleA, u.payload, negEta))
        tUpdate <== p.control("v_tv", u.valid)
        // t is updated one cycle after u; the next pass starts two cycles after that.
        let passLength = u.timing + 1 + 2 - firstPassStart
        // outStart is registered on the first beat of the last pass.
        let outStartTiming = beat.timing - Timing.lastBeat + (c.iterations - 1) * passLength + 1

        // Output: v_i from V, r = fl(sqrt(d)) (held: the next vector may load its own d's
        // constants while this one's last beats are in flight).
        let outSeq = sequencer("out", start: outStart, at: outStartTiming, slot: slot, beats: constants.beats)
        let vOut = vBuffer.read(outSeq.beat, enable: p.advance, name: "vbuffer_out")
        let result = IterNormResultFlags(r: p.latch("v_r", outStart, constants.sqrtD), degenerate: degenerate, nan: nan)
        return outputPass(seq: outSeq, lanes: lanes(of: vOut, a), front: [], result, ports)
    }
}
