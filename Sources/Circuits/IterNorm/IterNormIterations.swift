import Golden
import HDL

/// The initialization both forms share (docs/iternorm-architecture.md, "Initialization"):
/// `e0 = floor((E(s) + 1) / 2)`, the shift of `t = scaleB(s, -(2 e0 + n))`, and the degenerate
/// flag of the vector (`s` zero or infinite, or an all-equal LayerNorm vector).
struct IterNormIterationStart {
    /// `E(s)`.
    let es: Signal
    let e0: Signal
    let twiceE0: Signal
    let negE0: Signal
    let tShift: Signal
    let degenerate: Signal
}

/// The scalar form's result: `r`, the flags, and the vector's sideband where the output pass
/// starts reading (`readLead` cycles before `r` is ready).
struct IterNormScalarResult {
    /// `r` with the degenerate and NaN flags, valid when the last iteration is done.
    let r: Staged<IterNormResultFlags>
    /// The output pass's start and the sideband it needs.
    let outputStart: Staged<IterNormSideband>
}

/// `r` and the flags that select the special outputs.
struct IterNormResultFlags: StagePayload {
    var r: Signal
    var degenerate: Signal
    var nan: Signal

    func map(_ transform: (Signal, String) -> Signal) -> IterNormResultFlags {
        IterNormResultFlags(r: transform(r, "r"), degenerate: transform(degenerate, "deg"), nan: transform(nan, "nan"))
    }
}

extension IterNormDatapath {
    func iterationStart(s: Signal, sideband: IterNormSideband) -> IterNormIterationStart {
        let ew = units.iterationShiftWidth
        let es = units.acc.exponent(s).sext(to: ew)
        let e0 = (es &+ signedConst(1, width: ew)) >> 1
        let twiceE0 = cat(e0[ew - 2, 0], Const(0, width: 1)).asSigned()
        let sZero = s[a.width - 2, 0] == 0
        let sInf = s[a.width - 2, a.fractionBits].andReduce()
        let allEqual = layerNorm ? sideband.allEqual ?? Const(0, width: 1) : Const(0, width: 1)
        return IterNormIterationStart(es: es, e0: e0, twiceE0: twiceE0, negE0: signedConst(0, width: ew) &- e0,
                                      tShift: signedConst(0, width: ew) &- (twiceE0 &+ signedConst(c.etaShift, width: ew)),
                                      degenerate: sZero || sInf || allEqual)
    }

    /// The scalar form's iterations, fully unrolled and pipelined (one vector per cycle):
    /// `c = scaleB(sqrtD, -e0)`, `t = scaleB(s, -(2 e0 + n))`, then `K` times
    /// `m = (1 + eta) - t`; `c = c m`; `t = (t m) m`. Result `r = c`. The wide mode multiplies
    /// `c` by the seed `g` and `t` by `g^2` (`IterNormSeed`) in a stage before the first iteration.
    func scalarIterations(_ norm: Staged<IterNormSquaredNorm>, _ constants: IterNormLengthConstants) -> IterNormScalarResult {
        let s = norm.payload.s
        let start = iterationStart(s: s, sideband: norm.payload.sideband)
        // The output pass starts reading `readLead` cycles before r is ready.
        let tap = max(0, macro.iterationStages - macro.readLead)
        var flags = Staged(valid: norm.valid, payload: norm.payload.sideband.nan ?? Const(0, width: 1), timing: norm.timing)
        // Only the output pass's values go on to the tap; the flags travel separately.
        var outputStart = norm.map { n in
            IterNormSideband(slot: n.sideband.slot, negTx: n.sideband.negTx, muNeg: n.sideband.muNeg, epsTerm: n.sideband.epsTerm)
        }
        var stages = 0
        func advanceStage() {
            flags = p.next("it", flags)
            stages += 1
            if stages <= tap {
                outputStart = Staged(valid: flags.valid, payload: outputStart.payload.map { v, field in p.stage("it_s_" + field, v) },
                                     timing: flags.timing)
            }
        }
        var degenerate = p.stage("it_deg", start.degenerate)
        var cv = p.stage("it_c", p.unit(units.scaleA, constants.sqrtD, start.negE0))
        var t = p.stage("it_t", p.unit(units.scaleA, s, start.tShift))
        if c.wide {
            // The seed (IterNormSeed): c = c g, t = t g^2, by the parity of E(s) and s's top bits.
            let table = IterNormSeed.table(in: a)
            let index = p.stage("it_seed_index", cat(start.es[0], s[a.fractionBits - 1, a.fractionBits - IterNormSeed.indexBits]))
            advanceStage()
            cv = p.stage("it_c", p.unit(units.mulA, cv, muxLookup(index, table.map(\.g), width: a.width)))
            t = p.stage("it_t", p.unit(units.mulA, t, muxLookup(index, table.map(\.gSquared), width: a.width)))
            degenerate = p.stage("it_deg", degenerate)
        }
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
        var r = flags.map { IterNormResultFlags(r: cv, degenerate: degenerate, nan: $0) }
        // Delay r when the iterations are shorter than the output pass's lead.
        r = p.next("r_delay", r, cycles: max(0, macro.readLead - stages))
        return IterNormScalarResult(r: r, outputStart: outputStart)
    }
}
