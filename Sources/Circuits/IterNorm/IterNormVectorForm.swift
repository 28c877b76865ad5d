import Golden
import HDL

/// The vector form's V buffer write port (one vector's `v_i` in the accumulate format).
struct IterNormVectorWrite {
    let memory: Memory
    let enable: Signal
    let address: Signal
    let data: Signal
}

extension IterNormMacroBuilder {
    /// The vector form after pass 2 (docs/iternorm-architecture.md, "Vector form"): one
    /// iteration engine that passes over the vector `K` times, rescaling every element into the
    /// V buffer and recomputing `u` with the adder tree, then the output pass from V with
    /// `r = sqrt(d)`. One vector is in the engine at a time (the input pass admits a vector only
    /// into an empty macro), so the engine's scalars are plain latches.
    func vectorForm(valid: Signal, s: Signal, sideband sb: IterNormSideband, slotsBusy: [Signal], outValid: Signal) {
        // Initialization, as in the scalar form: e0 = floor((E(s) + 1) / 2), t = s 2^-(2 e0 + n).
        let ew = units.iterationShiftWidth
        let es = units.acc.exponent(s).sext(to: ew)
        let e0 = (es &+ signedConst(1, width: ew)) >> 1
        let twiceE0 = cat(e0[ew - 2, 0], Const(0, width: 1)).asSigned()
        let tShift = signedConst(0, width: ew) &- (twiceE0 &+ signedConst(c.etaShift, width: ew))
        let sZero = s[a.width - 2, 0] == 0
        let sInf = s[a.width - 2, a.fractionBits].andReduce()
        let allEqual = layerNorm ? sb.allEqual ?? Const(0, width: 1) : Const(0, width: 1)
        let degenerate = latch("v_deg", valid, sZero || sInf || allEqual)
        let nan = latch("v_nan", valid, sb.nan ?? Const(0, width: 1))
        let negE0 = latch("v_nege0", valid, signedConst(0, width: ew) &- e0)
        let slot = latch("v_slot", valid, sb.slot)
        let negTx = latch("v_negtx", valid, sb.negTx)
        let muNeg = sb.muNeg.map { latch("v_muneg", valid, $0) }

        // The iteration index and t, which gives m = (1 + eta) - t at the start of each pass.
        let kWidth = bitsFor(c.iterations)
        let k = p.register("v_k", .uint(kWidth), reset: 0)
        let firstPass = k == 0
        let lastPass = k == c.iterations - 1
        let t = p.register("v_t", .bits(a.width))
        let tUpdate = Wire("v_t_update", .bool)
        let nextT = Wire("v_t_next", .bits(a.width))
        t <== mux(valid, p.unit(units.scaleA, s, tShift), mux(tUpdate, nextT, t))
        k <== mux(valid, Const(0, width: kWidth), mux(tUpdate, k &+ 1, k))
        let mStart = p.control("v_mstart", valid || tUpdate)
        let onePlusEta = encodingConst(c.onePlusEta, width: a.width)
        let m = latch("v_m", mStart, p.unit(units.addA, onePlusEta, negate(t, a)))
        let passStart = p.control("v_pass_start", mStart)

        // e = scaleB(epsTerm, -2 e0), then e = (e m) m in every pass (while the pass reads).
        var e: Signal?
        if let epsTerm = sb.epsTerm {
            let eReg = p.register("v_e", .bits(a.width))
            let em = latch("v_em", passStart, p.unit(units.mulA, eReg, m))
            let negTwiceE0 = (signedConst(0, width: ew) &- twiceE0)
            eReg <== mux(valid, p.unit(units.scaleA, epsTerm, negTwiceE0),
                                mux(p.control("v_em_done", passStart), p.unit(units.mulA, em, m), eReg))
            e = eReg
        }

        // One pass: the first reads x and forms v = scaleB(y', -e0); later passes read v.
        let seq = sequencer("v", start: passStart, slot: slot)
        let x = buffer.read(cat(seq.slot, seq.beat), enable: p.advance, name: "buffer_v")
        var valid1 = p.control("v_rv", seq.active)
        var first1 = p.stage("v_rf", seq.active && seq.beat == 0)
        var last1 = p.stage("v_rl", seq.last)
        var beat1 = p.stage("v_rb", seq.beat)
        func advanceStage() {
            valid1 = p.control("v_v", valid1)
            first1 = p.stage("v_f", first1)
            last1 = p.stage("v_l", last1)
            beat1 = p.stage("v_b", beat1)
        }
        var y = (0..<lanes).map { p.stage("v_xs", p.unit(units.scaleIn, x.lane($0, width: f.width), negTx)) }
        advanceStage()
        if let muNeg {
            y = y.map { p.stage("v_y", p.unit(units.addA, $0, muNeg)) }
            advanceStage()
        }
        y = y.map { p.stage("v_y0", p.unit(units.scaleA, $0, negE0)) }
        advanceStage()
        // V is read at the beat delayed so that its data meets y here.
        let leadStages = muNeg == nil ? 2 : 3
        let vBuffer = Memory("vbuffer", depth: 1 << beatWidth, .bits(lanes * a.width))
        let vRead = vBuffer.read(p.delay("v_vaddr", seq.beat, leadStages), enable: p.advance, name: "vbuffer_v")
        let vNew = (0..<lanes).map { i in
            p.stage("v_vm", p.unit(units.mulA, mux(firstPass, y[i], vRead.lane(i, width: a.width)), m))
        }
        advanceStage()
        vectorWrite = IterNormVectorWrite(memory: vBuffer, enable: valid1 && p.advance, address: beat1,
                                          data: cat(vNew.reversed()))
        // The output pass starts one beat behind the last pass's writes.
        let outStart = p.control("v_out_start", valid1 && first1 && lastPass)

        // u = sumTree(v_i^2) (+ e), t = scaleB(u, -n); the last pass's u is not needed.
        let squares = vNew.map { p.stage("v_q", p.unit(units.mulA, $0, $0)) }
        advanceStage()
        let tree = p.tree("v_sum", squares) { l, r in p.unit(units.addA, l, r) }
        for _ in 0..<log2P { advanceStage() }
        let acc = p.accumulator("v_acc", .bits(a.width), tree, valid: valid1, first: first1) { p.unit(units.addA, $0, $1) }
        var u = acc
        var uValid = p.control("v_done", valid1 && last1 && !lastPass)
        if let e {
            u = p.stage("v_u", p.unit(units.addA, acc, e))
            uValid = p.control("v_uv", uValid)
        }
        let negEta = signedConst(-c.etaShift, width: ew)
        nextT <== p.stage("v_tn", p.unit(units.scaleA, u, negEta))
        tUpdate <== p.control("v_tv", uValid)

        // Output: v_i from V, r = fl(sqrt(d)) (held: the next vector may load its own d's
        // constants while this one's last beats are in flight).
        let outSeq = sequencer("out", start: outStart, slot: slot)
        let vOut = vBuffer.read(outSeq.beat, enable: p.advance, name: "vbuffer_out")
        outputPass(seq: outSeq, lanes: (0..<lanes).map { vOut.lane($0, width: a.width) }, front: [],
                   r: latch("v_r", outStart, sqrtDNow), degenerate: degenerate, nan: nan, slotsBusy: slotsBusy, outValid: outValid)
    }
}
