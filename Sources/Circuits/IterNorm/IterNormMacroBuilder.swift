import Golden
import HDL

/// The parameter memories and their load port.
struct IterNormParameterLoad {
    let enable: Signal
    let address: Signal
    let gamma: Memory
    let gammaData: Signal
    let beta: Memory?
    let betaData: Signal?
}

/// Values that travel with a vector from one pass to the next.
struct IterNormSideband {
    var slot: Signal
    var negTx: Signal
    var muNeg: Signal?
    var nan: Signal?
    var allEqual: Signal?
    var epsTerm: Signal?

    func map(_ f: (Signal) -> Signal) -> IterNormSideband {
        IterNormSideband(slot: f(slot), negTx: f(negTx), muNeg: muNeg.map(f), nan: nan.map(f),
                         allEqual: allEqual.map(f), epsTerm: epsTerm.map(f))
    }
}

/// Builds the body of the IterNorm macro inside `Module { }` (see IterNormMacro for the ports
/// and docs/iternorm-architecture.md for the schedule).
final class IterNormMacroBuilder {
    let macro: IterNormMacro
    let tables: IterNormMacroTables
    let units: IterNormUnits
    let c: IterNormConfig
    let f: FloatFormat, a: FloatFormat, w: FloatFormat
    let lanes: Int, log2P: Int
    let beatWidth: Int, countWidth: Int, slotWidth: Int, txWidth: Int
    let layerNorm: Bool
    let p: IterNormPipeline

    // Outputs of the build, used by the module body for memory writes.
    var buffer: Memory!
    var bufferWriteEnable: Signal!
    var bufferWriteAddress: Signal!
    var bufferWriteData: Signal!
    var parameterLoad: IterNormParameterLoad?
    var vectorWrite: IterNormVectorWrite?


    // Shared state (every vector in flight has the same d).
    var beatsNow: Signal!
    var meanScaleNow: Signal!
    var sqrtDNow: Signal!
    var dEpsNow: Signal!

    init(macro: IterNormMacro, tables: IterNormMacroTables, units: IterNormUnits) {
        self.macro = macro
        self.tables = tables
        self.units = units
        c = macro.config
        f = c.format
        a = c.accumulate
        w = c.meanFormat
        lanes = c.lanes
        log2P = c.lanes.trailingZeroBitCount
        beatWidth = bitsFor(macro.maxBeats - 1)
        countWidth = bitsFor(macro.maxBeats)
        slotWidth = bitsFor(macro.slots - 1)
        txWidth = units.shiftWidth
        layerNorm = c.mode == .layerNorm
        let outReady = Input("out_ready", .bool)
        let advance = Wire("advance", .bool)
        let outValid = Reg("out_valid_q", .bool, reset: 0, enable: advance)
        p = IterNormPipeline(advance: advance)
        advance <== !(outValid && !outReady)
        build(outValid: outValid)
    }

    private func build(outValid: Signal) {
        let slotsBusy = (0..<macro.slots).map { Reg("slot_busy_\($0)", .bool, reset: 0, enable: p.advance) }
        let (pass1, p1Done) = inputPass(slotsBusy: slotsBusy)
        let (finishValid, sideband) = finishPass1(pass1: pass1, done: p1Done)
        let (sValid, s, sb2) = normPass(start: finishValid, sideband: sideband)
        switch c.form {
        case .scalar:
            let iteration = iterate(valid: sValid, s: s, sideband: sb2)
            outputPass(iteration: iteration, slotsBusy: slotsBusy, outValid: outValid)
        case .vector:
            vectorForm(valid: sValid, s: s, sideband: sb2, slotsBusy: slotsBusy, outValid: outValid)
        }
    }

    // MARK: Input pass

    struct Pass1Result {
        var sum: Signal?
        var maxMagnitude: Signal
        var nan: Signal
        var allEqual: Signal?
        var slot: Signal
    }

    private func inputPass(slotsBusy: [Signal]) -> (Pass1Result, Signal) {
        let inValid = Input("in_valid", .bool)
        let inData = Input("in_data", .bits(lanes * f.width))
        let inBeats = Input("in_beats", .uint(countWidth))
        let inReady = Output("in_ready", .bool)
        let writeSlot = p.register("write_slot", .uint(slotWidth), reset: 0)
        let beat = p.register("in_beat", .uint(beatWidth), reset: 0)
        let beats = p.register("beats_now", .uint(countWidth), reset: 0)
        beatsNow = beats
        let first = beat == 0
        let anyBusy = slotsBusy.dropFirst().reduce(slotsBusy[0]) { $0 || $1 }
        var slotFree = Const(0, width: 1)
        for (i, busy) in slotsBusy.enumerated() { slotFree = mux(writeSlot == i, !busy, slotFree) }
        let sameD = inBeats == beats || !anyBusy
        let legalBeats = inBeats != 0 && inBeats <= Const(macro.maxBeats, width: countWidth)
        // The vector form's single iteration engine takes one vector at a time.
        let admit = c.form == .vector ? !anyBusy : slotFree && sameD
        let ready = p.advance && (!first || (admit && legalBeats))
        inReady <== ready
        let fire = inValid && ready
        let vectorBeats = mux(first, inBeats, beats)
        let last = beat.zext(to: countWidth) &+ 1 == vectorBeats
        beat <== mux(fire, mux(last, Const(0, width: beatWidth), beat &+ 1), beat)
        beats <== mux(fire && first, inBeats, beats)
        let nextSlot = mux(writeSlot == macro.slots - 1, Const(0, width: slotWidth), writeSlot &+ 1)
        writeSlot <== mux(fire && last, nextSlot, writeSlot)
        let loadTables = fire && first
        meanScaleNow = tableRegister("mean_scale_now", tables.meanScale, w, inBeats, loadTables)
        sqrtDNow = tableRegister("sqrt_d_now", tables.sqrtD, a, inBeats, loadTables)
        dEpsNow = tableRegister("d_eps_now", tables.dEps, a, inBeats, loadTables)
        startSlots = (fire && first, writeSlot)

        buffer = Memory("buffer", depth: macro.slots << beatWidth, .bits(lanes * f.width))
        bufferWriteEnable = fire
        bufferWriteAddress = cat(writeSlot, beat)
        bufferWriteData = inData

        // Lane stage: register the beat, then convert (mean) and classify (flags) each lane.
        let x = p.stage("p1_x", inData)
        let valid = p.control("p1_valid", fire)
        let isFirst = p.stage("p1_first", fire && first)
        let isLast = p.stage("p1_last", fire && last)
        let slot = p.stage("p1_slot", writeSlot)
        let xs = (0..<lanes).map { x.lane($0, width: f.width) }
        let magnitudeWidth = f.width - 1
        var nan = Const(0, width: 1)
        for xi in xs { nan = nan || xi[f.width - 2, f.fractionBits].andReduce() }
        // All-equal (LayerNorm): every lane equals lane 0 of the vector's first beat (+0 == -0).
        var laneEqual: Signal?
        if layerNorm {
            let reference = p.register("p1_ref", .bits(f.width))
            let ref = mux(isFirst, xs[0], reference)
            reference <== mux(valid && isFirst, xs[0], reference)
            let refZero = ref[magnitudeWidth - 1, 0] == 0
            var equal = Const(1, width: 1)
            for xi in xs { equal = equal && (xi == ref || (xi[magnitudeWidth - 1, 0] == 0 && refZero)) }
            laneEqual = p.stage("p1_equal", equal)
        }
        let laneNaN = p.stage("p1_nan", nan)
        let magnitudes = xs.map { p.stage("p1_mag", $0[magnitudeWidth - 1, 0]) }
        let treeMax = p.tree("p1_max", magnitudes) { l, r in mux(r > l, r, l) }
        var treeSum: Signal?
        if layerNorm {
            let wide = xs.map { p.stage("p1_w", p.unit(units.toMean, $0)) }
            treeSum = p.tree("p1_sum", wide) { l, r in p.unit(units.addW, l, r) }
        }
        let depth = 1 + log2P
        let tValid = p.delay("p1_tv", valid, depth, control: true)
        let tFirst = p.delay("p1_tf", isFirst, depth)
        let tLast = p.delay("p1_tl", isLast, depth)
        let tSlot = p.delay("p1_ts", slot, depth)
        let tNaN = p.delay("p1_tn", laneNaN, depth - 1)

        // Accumulators over the beats of a vector.
        let accMax = p.register("acc_max", .uint(magnitudeWidth))
        let accNaN = p.register("acc_nan", .bool)
        accMax <== mux(tValid, mux(tFirst || treeMax > accMax, treeMax, accMax), accMax)
        let accEqual = laneEqual.map { lane in
            p.accumulator("acc_equal", .bool, p.delay("p1_te", lane, depth - 1), valid: tValid, first: tFirst) { $0 && $1 }
        }
        accNaN <== mux(tValid, mux(tFirst, tNaN, accNaN || tNaN), accNaN)
        let accSum = treeSum.map { tree in
            p.accumulator("acc_sum", .bits(w.width), tree, valid: tValid, first: tFirst) { p.unit(units.addW, $0, $1) }
        }
        let done = p.control("p1_done", tValid && tLast)
        let doneSlot = p.stage("p1_done_slot", tSlot)
        return (Pass1Result(sum: accSum, maxMagnitude: accMax, nan: accNaN, allEqual: accEqual, slot: doneSlot), done)
    }

    /// Set by the input pass: (a vector's first beat is accepted, its slot).
    var startSlots: (Signal, Signal)!

    private func tableRegister(_ name: String, _ entries: [UInt64], _ format: FloatFormat,
                               _ index: Signal, _ load: Signal) -> Signal {
        let r = p.register(name, .bits(format.width), reset: 0)
        r <== mux(load, muxLookup(index, entries, width: format.width), r)
        return r
    }

    // MARK: Mean and pre-scale exponent

    private func finishPass1(pass1: Pass1Result, done: Signal) -> (Signal, IterNormSideband) {
        // Stage 1: mean = sum * fl(1/d); Tx = floor(log2 max|x|) (0 for an all-zero vector).
        let maxBits = cat(Const(0, width: 1), pass1.maxMagnitude)
        let tx = units.io.exponent(maxBits).sext(to: txWidth)
        let maxZero = pass1.maxMagnitude == 0
        let negTx = p.stage("negtx", mux(maxZero, signedConst(0, width: txWidth), signedConst(0, width: txWidth) &- tx))
        let mean = pass1.sum.map { p.stage("mean", p.unit(units.mulW, $0, meanScaleNow)) }
        let v1 = p.control("f1_valid", done)
        let nan1 = p.stage("f1_nan", pass1.nan)
        let eq1 = pass1.allEqual.map { p.stage("f1_eq", $0) }
        let slot1 = p.stage("f1_slot", pass1.slot)
        // Stage 2: -mu' = -(mu 2^-Tx), rounded to the accumulate format.
        let muNeg = mean.map { m -> Signal in
            let scaled = p.unit(units.scaleMean, m, negTx)
            return p.stage("mu_neg", negate(scaled, a))
        }
        let sideband = IterNormSideband(slot: p.stage("f2_slot", slot1), negTx: p.stage("f2_negtx", negTx),
                                        muNeg: muNeg, nan: p.stage("f2_nan", nan1),
                                        allEqual: eq1.map { p.stage("f2_eq", $0) }, epsTerm: nil)
        return (p.control("f2_valid", v1), sideband)
    }

    func negate(_ x: Signal, _ format: FloatFormat) -> Signal {
        cat(!x[format.width - 1], x[format.width - 2, 0])
    }

    // MARK: Norm pass

    /// A pass's read sequencer: active while it reads, the beat and slot it reads, its last beat.
    typealias Sequencer = (active: Signal, beat: Signal, slot: Signal, last: Signal)

    /// A sequencer that reads the `beatsNow` beats of a slot, one per cycle, from `start`.
    func sequencer(_ base: String, start: Signal, slot: Signal) -> Sequencer {
        let active = p.register(base + "_active", .bool, reset: 0)
        let beat = p.register(base + "_beat", .uint(beatWidth), reset: 0)
        let slotReg = p.register(base + "_slot", .uint(slotWidth), reset: 0)
        let last = beat.zext(to: countWidth) &+ 1 == beatsNow
        active <== mux(start, Const(1, width: 1), mux(active && last, Const(0, width: 1), active))
        beat <== mux(start || (active && last), Const(0, width: beatWidth), mux(active, beat &+ 1, beat))
        slotReg <== mux(start, slot, slotReg)
        return (active, beat, slotReg, active && last)
    }

    /// Holds `value` from the cycle `start` is 1 (a vector's scalars for the duration of a pass).
    func latch(_ base: String, _ start: Signal, _ value: Signal) -> Signal {
        let r = p.register(base, value.type)
        r <== mux(start, value, r)
        return r
    }

    private func normPass(start: Signal, sideband: IterNormSideband) -> (Signal, Signal, IterNormSideband) {
        let seq = sequencer("p2", start: start, slot: sideband.slot)
        var held = sideband.map { latch(p.name("p2_hold"), start, $0) }
        if c.eps != 0 {
            let twiceNegTx = cat(held.negTx, Const(0, width: 1)).asSigned().sext(to: units.iterationShiftWidth)
            held.epsTerm = p.unit(units.scaleA, dEpsNow, twiceNegTx)
        }
        let data = buffer.read(cat(seq.slot, seq.beat), enable: p.advance, name: "buffer_p2")
        var valid = p.control("p2_rv", seq.active)
        var first = p.stage("p2_rf", seq.active && seq.beat == 0)
        var last = p.stage("p2_rl", seq.last)
        var sb = held.map { p.stage("p2_rs", $0) }
        func advanceStage() {
            valid = p.control("p2_v", valid)
            first = p.stage("p2_f", first)
            last = p.stage("p2_l", last)
            sb = sb.map { p.stage("p2_s", $0) }
        }
        var y = (0..<lanes).map { data.lane($0, width: f.width) }
        let negTx = sb.negTx
        y = y.map { p.stage("p2_xs", p.unit(units.scaleIn, $0, negTx)) }
        advanceStage()
        if let muNeg = sb.muNeg {
            y = y.map { p.stage("p2_y", p.unit(units.addA, $0, muNeg)) }
            advanceStage()
        }
        let squares = y.map { p.stage("p2_q", p.unit(units.mulA, $0, $0)) }
        advanceStage()
        let tree = p.tree("p2_sum", squares) { l, r in p.unit(units.addA, l, r) }
        for _ in 0..<log2P { advanceStage() }
        let acc = p.accumulator("acc_sq", .bits(a.width), tree, valid: valid, first: first) { p.unit(units.addA, $0, $1) }
        let done = p.control("p2_done", valid && last)
        var out = sb.map { p.stage("p2_ds", $0) }
        var s = acc, doneValid = done
        if let eps = out.epsTerm {
            s = p.stage("s_eps", p.unit(units.addA, acc, eps))
            doneValid = p.control("p2_ev", done)
            out = out.map { p.stage("p2_es", $0) }
        }
        // The vector form rescales the eps term with v; the scalar form is done with it.
        if c.form == .scalar { out.epsTerm = nil }
        return (doneValid, s, out)
    }

    // MARK: Iterations

    struct IterationResult {
        /// Valid bit per stage, index 0 = the input s.
        var validAt: [Signal]
        /// NaN flag at the last stage.
        var nan: Signal
        /// Sideband per stage, up to the output pass's start tap only.
        var sidebandAt: [IterNormSideband]
        var r: Signal
        var degenerate: Signal
    }

    private func iterate(valid: Signal, s: Signal, sideband: IterNormSideband) -> IterationResult {
        let tap = max(0, 3 * c.iterations - macro.readLead)
        // Only the output pass's values go on to the tap; the flags travel separately.
        var tapSideband = sideband
        tapSideband.nan = nil
        tapSideband.allEqual = nil
        var validAt = [valid], sidebandAt = [tapSideband], nan = sideband.nan ?? Const(0, width: 1)
        func advanceStage() {
            validAt.append(p.control("it_v", validAt.last!))
            nan = p.stage("it_nan", nan)
            if sidebandAt.count <= tap { sidebandAt.append(sidebandAt.last!.map { p.stage("it_s", $0) }) }
        }
        // Init: e0 = floor((E(s) + 1) / 2); c = sqrt(d) 2^-e0; t = s 2^-(2 e0 + n).
        let ew = units.iterationShiftWidth
        let es = units.acc.exponent(s).sext(to: ew)
        let e0 = (es &+ signedConst(1, width: ew)) >> 1
        let negE0 = signedConst(0, width: ew) &- e0
        let tShift = signedConst(0, width: ew) &- (cat(e0[ew - 2, 0], Const(0, width: 1)).asSigned() &+ signedConst(c.etaShift, width: ew))
        let sZero = s[a.width - 2, 0] == 0
        let sInf = s[a.width - 2, a.fractionBits].andReduce()
        var degenerate = p.stage("it_deg", sZero || sInf || (layerNorm ? sideband.allEqual ?? Const(0, width: 1) : Const(0, width: 1)))
        var cv = p.stage("it_c", p.unit(units.scaleA, sqrtDNow, negE0))
        var t = p.stage("it_t", p.unit(units.scaleA, s, tShift))
        advanceStage()
        let onePlusEta = encodingConst(c.onePlusEta, width: a.width)
        for k in 1...c.iterations {
            let m = p.stage("it_m", p.unit(units.addA, onePlusEta, negate(t, a)))
            cv = p.stage("it_c", cv)
            if k < c.iterations { t = p.stage("it_t", t) }
            degenerate = p.stage("it_deg", degenerate)
            advanceStage()
            cv = p.stage("it_c", p.unit(units.mulA, cv, m))
            degenerate = p.stage("it_deg", degenerate)
            if k < c.iterations {
                // The last iteration's u is never used: only c goes on.
                let tm = p.stage("it_tm", p.unit(units.mulA, t, m))
                let mHeld = p.stage("it_mh", m)
                advanceStage()
                t = p.stage("it_t", p.unit(units.mulA, tm, mHeld))
                cv = p.stage("it_c", cv)
                degenerate = p.stage("it_deg", degenerate)
                advanceStage()
            } else {
                advanceStage()
            }
        }
        return IterationResult(validAt: validAt, nan: nan, sidebandAt: sidebandAt, r: cv, degenerate: degenerate)
    }

    // MARK: Output pass

    /// The scalar form's output pass: starts reading `readLead` cycles before `r` is ready and
    /// recomputes `y'` from the buffer (the same ops as pass 2, so the same bits).
    private func outputPass(iteration it: IterationResult, slotsBusy: [Signal], outValid: Signal) {
        let lead = macro.readLead
        let iterStages = it.validAt.count - 1
        // Start reading `lead` cycles before r is ready (or delay r when the iterations are shorter).
        let tap = max(0, iterStages - lead)
        var r = it.r, rValid = it.validAt[iterStages], degenerate = it.degenerate
        var nanAtEnd = it.nan
        for _ in 0..<max(0, lead - iterStages) {
            r = p.stage("r_delay", r)
            rValid = p.control("r_valid_delay", rValid)
            degenerate = p.stage("deg_delay", degenerate)
            nanAtEnd = p.stage("nan_delay", nanAtEnd)
        }
        let startSideband = it.sidebandAt[tap]
        let seq = sequencer("out", start: it.validAt[tap], slot: startSideband.slot)
        let heldNegTx = latch("out_negtx", it.validAt[tap], startSideband.negTx)
        let heldMuNeg = startSideband.muNeg.map { latch("out_muneg", it.validAt[tap], $0) }
        let data = buffer.read(cat(seq.slot, seq.beat), enable: p.advance, name: "buffer_out")
        let negTxRead = p.stage("o_ntx", heldNegTx)
        var front: [(Signal) -> Signal] = [{ self.p.unit(self.units.scaleIn, $0, negTxRead) }]
        if let muNeg = heldMuNeg.map({ p.stage("o_mu", p.stage("o_mu", $0)) }) {
            front.append { self.p.unit(self.units.addA, $0, muNeg) }
        }
        outputPass(seq: seq, lanes: (0..<lanes).map { data.lane($0, width: f.width) }, front: front,
                   r: latch("r_now", rValid, r), degenerate: latch("deg_now", rValid, degenerate),
                   nan: latch("nan_now", rValid, nanAtEnd), slotsBusy: slotsBusy, outValid: outValid)
    }

    /// The output pass from its sequencer on: `lanes` are the vector's values read at the
    /// sequencer's beat (one cycle after it), `front` the lane operations before `g * v` (one
    /// stage each); then `* r`, `+ beta`, the conversion to `F`, the special-value mux and the
    /// output register. Frees the vector's slot as its last beat is read.
    func outputPass(seq: Sequencer, lanes laneValues: [Signal], front: [(Signal) -> Signal],
                    r rNow: Signal, degenerate degNow: Signal, nan nanNow: Signal,
                    slotsBusy: [Signal], outValid: Signal) {
        let outData = Output("out_data", .bits(lanes * f.width))
        let outValidPort = Output("out_valid", .bool)
        let outLast = Output("out_last", .bool)
        let (startFire, startSlot) = startSlots
        for (i, busy) in slotsBusy.enumerated() {
            let set = startFire && startSlot == i
            let clear = seq.last && seq.slot == i
            busy <== mux(set, Const(1, width: 1), mux(clear, Const(0, width: 1), busy))
        }

        var gamma: Signal?, beta: Signal?
        if c.affine {
            let load = parameterMemories()
            gamma = load.gamma.read(seq.beat, enable: p.advance, name: "gamma_out")
            beta = load.beta?.read(seq.beat, enable: p.advance, name: "beta_out")
            parameterLoad = load
        }
        var valid = p.control("o_v", seq.active)
        var last = p.stage("o_l", seq.last)
        var betaRaw = beta
        func advanceStage() {
            valid = p.control("o_v", valid)
            last = p.stage("o_l", last)
            betaRaw = betaRaw.map { p.stage("o_braw", $0) }
        }
        var v = laneValues
        var g = gamma.map { gm in (0..<lanes).map { gm.lane($0, width: f.width) } }
        var bA = beta.map { bt in (0..<lanes).map { bt.lane($0, width: f.width) } }
        // The parameters widen to A in the first stage.
        var widened = false
        for op in front {
            v = v.map { p.stage("o_y", op($0)) }
            g = g.map { $0.map { p.stage("o_g", widened ? $0 : widen($0)) } }
            bA = bA.map { $0.map { p.stage("o_b", widened ? $0 : widen($0)) } }
            widened = true
            advanceStage()
        }
        if var gl = g {
            if !widened {
                // Nothing before g * v: widen gamma (and beta) in a stage of their own.
                v = v.map { p.stage("o_y", $0) }
                gl = gl.map { p.stage("o_g", widen($0)) }
                bA = bA.map { $0.map { p.stage("o_b", widen($0)) } }
                widened = true
                advanceStage()
            }
            v = (0..<lanes).map { p.stage("o_gy", p.unit(units.mulA, gl[$0], v[$0])) }
            bA = bA.map { $0.map { p.stage("o_b", $0) } }
            advanceStage()
        }
        // v meets r here. Then * r, (+ beta), convert to F and the special-value mux.
        var z = (0..<lanes).map { p.unit(units.mulA, v[$0], rNow) }
        var flagsNaN = nanNow, flagsDeg = degNow
        if let bl = bA {
            z = (0..<lanes).map { p.stage("o_zr", z[$0]) }
            let bHeld = bl.map { p.stage("o_b", $0) }
            flagsNaN = p.stage("o_fn", flagsNaN)
            flagsDeg = p.stage("o_fd", flagsDeg)
            advanceStage()
            z = (0..<lanes).map { p.unit(units.addA, z[$0], bHeld[$0]) }
        }
        if a != f {
            // A multiply or an add followed by a rounding conversion is longer than one multiply.
            z = z.map { p.stage("o_z", $0) }
            flagsNaN = p.stage("o_fn", flagsNaN)
            flagsDeg = p.stage("o_fd", flagsDeg)
            advanceStage()
        }
        let nanBits = encodingConst(f.canonicalNaN ?? 0, width: f.width)
        let zeroBits = Const(0, width: f.width)
        let lanesOut = (0..<lanes).map { i -> Signal in
            let value = a == f ? z[i] : p.unit(units.narrow!, z[i])
            let special = c.hasBeta ? betaRaw!.lane(i, width: f.width) : zeroBits
            return mux(flagsNaN, nanBits, mux(flagsDeg, special, value))
        }
        let outReg = p.stage("out_data_q", cat(lanesOut.reversed()))
        let lastReg = p.stage("out_last_q", last)
        outValid <== valid
        outData <== outReg
        outValidPort <== outValid
        outLast <== lastReg && outValid
    }

    /// An I/O-format value in the accumulate format (exact; no unit when they are the same).
    private func widen(_ x: Signal) -> Signal {
        units.widen.map { p.unit($0, x) } ?? x
    }

    private func parameterMemories() -> IterNormParameterLoad {
        let we = Input("param_we", .bool)
        let addr = Input("param_addr", .uint(beatWidth))
        let gammaData = Input("param_gamma", .bits(lanes * f.width))
        let gamma = Memory("gamma", depth: 1 << beatWidth, .bits(lanes * f.width))
        var beta: Memory?, betaData: Signal?
        if c.hasBeta {
            betaData = Input("param_beta", .bits(lanes * f.width))
            beta = Memory("beta", depth: 1 << beatWidth, .bits(lanes * f.width))
        }
        return IterNormParameterLoad(enable: we, address: addr, gamma: gamma, gammaData: gammaData,
                                     beta: beta, betaData: betaData)
    }
}
