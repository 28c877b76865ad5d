import Golden
import HDL

/// The flags of a vector between pass 1 and the sideband.
struct IterNormVectorFlags: StagePayload {
    var slot: Signal
    var nan: Signal
    var allEqual: Signal?

    func map(_ transform: (Signal, String) -> Signal) -> IterNormVectorFlags {
        IterNormVectorFlags(slot: transform(slot, "slot"), nan: transform(nan, "nan"), allEqual: allEqual.map { transform($0, "eq") })
    }
}

/// Pass 2's result: `s = s' (+ epsTerm)` and the vector's sideband.
struct IterNormSquaredNorm: StagePayload {
    var s: Signal
    var sideband: IterNormSideband

    func map(_ transform: (Signal, String) -> Signal) -> IterNormSquaredNorm {
        IterNormSquaredNorm(s: transform(s, "s"), sideband: sideband.map(transform))
    }
}

extension IterNormDatapath {
    /// The mean and the pre-scale exponent (two stages after pass 1):
    /// `mu = sum * fl(1/d)`, `Tx = floor(log2 max|x|)` (0 for an all-zero vector), then
    /// `-mu' = -(mu 2^-Tx)` rounded to the accumulate format. The wide LayerNorm takes three:
    /// the exact sum's `hi` (and what it leaves out), its `lo`, then `-hi 2^-Tx`, `-lo 2^-Tx` and
    /// `d 2^-Tx`, all exact in `W`.
    func meanAndScale(_ stats: Staged<IterNormStatistics>, _ constants: IterNormLengthConstants) -> Staged<IterNormSideband> {
        let st = stats.payload
        let maxBits = cat(Const(0, width: 1), st.maxMagnitude)
        let tx = units.io.exponent(maxBits).sext(to: widths.tx)
        let zero = signedConst(0, width: widths.tx)
        var negTx = p.stage("negtx", mux(st.maxMagnitude == 0, zero, zero &- tx))
        var muNeg: Signal?, muNegLow: Signal?
        var flags: Staged<IterNormVectorFlags>
        if let high = units.exactHigh, let low = units.exactLow, let sum = st.sum {
            let split = Instance(high, "u_exact_high")
            Continuous { split.a <== sum }
            let hi = p.stage("sum_hi", split.y)
            let rest = Instance(low, "u_exact_low")
            Continuous {
                rest.sign <== p.stage("sum_rest_sign", split.lo_sign)
                rest.mag <== p.stage("sum_rest", split.lo_mag)
                rest.lz <== p.stage("sum_rest_lz", split.lz)
            }
            let lo = p.stage("sum_lo", rest.y)
            let hiNow = p.stage("sum_hi", hi)
            negTx = p.stage("negtx", negTx)
            flags = p.next("f1", p.next("f1", stats.map { IterNormVectorFlags(slot: $0.slot, nan: $0.nan, allEqual: $0.allEqual) }))
            muNeg = p.stage("mu_neg", negate(p.unit(units.scaleMean, hiNow, negTx), w))
            muNegLow = p.stage("mu_neg_lo", negate(p.unit(units.scaleMean, lo, negTx), w))
        } else {
            let mean = st.sum.map { sum in p.stage("mean", p.unit(units.mulW, sum, constants.meanScale)) }
            flags = p.next("f1", stats.map { IterNormVectorFlags(slot: $0.slot, nan: $0.nan, allEqual: $0.allEqual) })
            muNeg = mean.map { m in p.stage("mu_neg", negate(p.unit(units.scaleMean, m, negTx), a)) }
        }
        let dScaled = constants.d.map { d in p.stage("d_scaled", p.unit(units.scaleMean, d, negTx)) }
        return p.next("f2", flags).map { flags in
            // The wide LayerNorm pre-scales by d 2^-Tx: -Tx goes on only for the eps term.
            IterNormSideband(slot: flags.slot, negTx: c.centresByLength && c.eps == 0 ? nil : p.stage("f2_negtx", negTx),
                             muNeg: muNeg, muNegLow: muNegLow, dScaled: dScaled, nan: flags.nan,
                             allEqual: flags.allEqual)
        }
    }

    /// Pass 2 (the norm pass): reads the vector back, `y'_i` by `centring`, and
    /// `s' = sumTree(y'_i^2)` through the adder tree and accumulator, `+ epsTerm` when `eps != 0`.
    ///
    /// With `centred` (the wide mode) it also writes every beat's `y'` there, at the beat's
    /// buffer address, for the output pass.
    func normPass(_ start: Staged<IterNormSideband>, buffer: Memory, centred: Memory?,
                  _ constants: IterNormLengthConstants) -> Staged<IterNormSquaredNorm> {
        let seq = sequencer("p2", start: start.valid, at: start.timing, slot: start.payload.slot, beats: constants.beats)
        var held = start.payload.map { signal, _ in p.latch(p.name("p2_hold"), start.valid, signal) }
        if c.eps != 0 {
            let twiceNegTx = cat(held.negTx!, Const(0, width: 1)).asSigned().sext(to: units.iterationShiftWidth)
            held.epsTerm = p.unit(units.scaleA, constants.dEps, twiceNegTx)
        }
        if c.centresByLength { held.negTx = nil }
        let data = buffer.read(cat(seq.slot, seq.beat), enable: p.advance, name: "buffer_p2")
        var beat = readStream("p2", seq, IterNormBeatTag(last: seq.last, beat: centred.map { _ in seq.beat },
                                                          slot: centred.map { _ in seq.slot }, sideband: held))
        let sideband = { beat.payload.sideband! }
        var y = lanes(of: data, f)
        // -Tx enters at the first stage, -mu' at the last: each read as staged along with the beat.
        let steps = centring(negTx: sideband().negTx, dScaled: sideband().dScaled.map { _ in { sideband().dScaled! } },
                             muNeg: sideband().muNeg.map { _ in { sideband().muNeg! } },
                             muNegLow: sideband().muNegLow.map { _ in { sideband().muNegLow! } })
        for step in steps {
            y = y.map { p.stage("p2_" + step.name, step.op($0)) }
            if centred != nil {
                // The output pass reads y' back: each centring operand goes no further than its stage.
                switch step.name {
                case "xs": beat.payload.sideband!.negTx = nil
                case "dx": beat.payload.sideband!.dScaled = nil
                case "y": beat.payload.sideband!.muNeg = nil
                case "ylo": beat.payload.sideband!.muNegLow = nil
                default: break
                }
            }
            beat = p.next("p2", beat)
        }
        if let centred {
            let tag = beat.payload
            When(beat.valid && p.advance) { centred.write(cat(tag.slot!, tag.beat!), cat(y.reversed())) }
            beat.payload.slot = nil
            beat.payload.beat = nil
        }
        let squares = y.map { p.stage("p2_q", p.unit(units.mulA, $0, $0)) }
        beat = p.next("p2", beat)
        let tree = p.tree("p2_sum", squares) { l, r in p.unit(units.addA, l, r) }
        beat = p.next("p2", beat, cycles: log2P)
        let acc = p.accumulator("acc_sq", .bits(a.width), tree, valid: beat.valid, first: beat.payload.first!) {
            p.unit(units.addA, $0, $1)
        }
        var done = Staged(valid: p.control("p2_done", beat.valid && beat.payload.last),
                          payload: IterNormSquaredNorm(s: acc, sideband: sideband().map { s, field in p.stage("p2_d_" + field, s) }),
                          timing: beat.timing + 1)
        if let eps = done.payload.sideband.epsTerm {
            done = Staged(valid: p.control("p2_e_v", done.valid),
                          payload: IterNormSquaredNorm(s: p.stage("s_eps", p.unit(units.addA, acc, eps)),
                                                       sideband: done.payload.sideband.map { s, field in p.stage("p2_e_" + field, s) }),
                          timing: done.timing + 1)
        }
        // The vector form rescales the eps term with v; the scalar form is done with it.
        if c.form == .scalar { done.payload.sideband.epsTerm = nil }
        return done
    }
}
