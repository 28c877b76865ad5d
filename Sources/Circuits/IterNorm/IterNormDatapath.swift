import Golden
import HDL

/// What every pass of the IterNorm macro shares: the configuration, the unit modules, the widths
/// and the one stalled pipeline. The passes are functions on it from an input value to an output
/// value (IterNormInputPass.swift ... IterNormOutputPass.swift), composed by
/// `IterNormMacroBuilder` in the order of the paper's dataflow.
struct IterNormDatapath {
    let macro: IterNormMacro
    let tables: IterNormMacroTables
    let units: IterNormUnits
    let widths: IterNormWidths
    let p: IterNormPipeline

    var c: IterNormConfig { macro.config }
    /// The I/O, accumulate and mean formats (`F`, `A`, `W` in docs/iternorm-architecture.md).
    var f: FloatFormat { c.format }
    var a: FloatFormat { c.accumulate }
    var w: FloatFormat { c.meanFormat }
    var lanes: Int { c.lanes }
    var log2P: Int { c.lanes.trailingZeroBitCount }
    var layerNorm: Bool { c.mode == .layerNorm }

    /// `-x` of a value in `format` (a sign flip).
    func negate(_ x: Signal, _ format: FloatFormat) -> Signal {
        cat(!x[format.width - 1], x[format.width - 2, 0])
    }

    /// The `lanes` values of a beat of `format`.
    func lanes(of beat: Signal, _ format: FloatFormat) -> [Signal] {
        (0..<lanes).map { beat.lane($0, width: format.width) }
    }

    /// The lane operations from an input element to its centred, pre-scaled value `y'_i`, one
    /// stage each, with the stage's name: `scaleB(x_i, -Tx)` and in the LayerNorm `+ (-mu')`; in
    /// the wide LayerNorm `x_i` in `W`, `* d 2^-Tx` (`dScaled`, exact), `+ (-hi 2^-Tx)`,
    /// `+ (-lo 2^-Tx)` and the rounding into `A`. Pass 2 and the output pass both run them, so they compute the same
    /// bits. The scalar operands are read when their
    /// stage is built (`dScaled` in the second, `muNeg` in the last), so a caller can hand over
    /// the values staged along with the beat.
    func centring(negTx: Signal?, dScaled: (() -> Signal)?, muNeg: (() -> Signal)?,
                  muNegLow: (() -> Signal)? = nil) -> [(name: String, op: (Signal) -> Signal)] {
        if let dScaled {
            return [("xs", { p.unit(units.toMean, $0) }), ("dx", { p.unit(units.mulByLength, $0, dScaled()) }),
                    ("y", { p.unit(units.addW, $0, muNeg!()) }), ("ylo", { p.unit(units.addW, $0, muNegLow!()) }),
                    ("ya", { p.unit(units.meanToAcc, $0) })]
        }
        let scale: (name: String, op: (Signal) -> Signal) = ("xs", { p.unit(units.scaleIn, $0, negTx!) })
        return [scale] + (muNeg.map { muNeg in [("y", { p.unit(units.addA, $0, muNeg()) })] } ?? [])
    }

    /// An I/O-format value in the accumulate format (exact; no unit when they are the same).
    func widen(_ x: Signal) -> Signal {
        units.widen.map { p.unit($0, x) } ?? x
    }
}

/// The constants of the vector length in flight (every vector in the macro has the same d),
/// loaded with a vector's first beat from the per-d tables.
struct IterNormLengthConstants {
    /// Beats per vector.
    let beats: Signal
    /// `fl(1/d)` in `W`.
    let meanScale: Signal
    /// `fl(sqrt(d))` in `A`.
    let sqrtD: Signal
    /// `d * eps` in `A` (`d^3 eps` in the wide LayerNorm).
    let dEps: Signal
    /// `d` in `W`, for the wide LayerNorm only.
    let d: Signal?
}

/// Values that travel with a vector from one pass to the next.
struct IterNormSideband: StagePayload {
    var slot: Signal
    /// `-Tx`, until the last centring (the wide mode's output pass reads the stored `y'`).
    var negTx: Signal?
    var muNeg: Signal?
    /// `-lo 2^-Tx`: the wide LayerNorm's second centring term.
    var muNegLow: Signal? = nil
    /// `d 2^-Tx` (the wide LayerNorm), until its centring stage.
    var dScaled: Signal?
    var nan: Signal?
    var allEqual: Signal?
    var epsTerm: Signal?

    func map(_ transform: (Signal, String) -> Signal) -> IterNormSideband {
        IterNormSideband(slot: transform(slot, "slot"), negTx: negTx.map { transform($0, "negtx") },
                         muNeg: muNeg.map { transform($0, "muneg") }, muNegLow: muNegLow.map { transform($0, "munegl") },
                         dScaled: dScaled.map { transform($0, "dscaled") },
                         nan: nan.map { transform($0, "nan") },
                         allEqual: allEqual.map { transform($0, "eq") }, epsTerm: epsTerm.map { transform($0, "eps") })
    }
}

/// What travels with a beat through a pass's lane pipeline besides its valid bit.
struct IterNormBeatTag: StagePayload {
    var first: Signal?
    var last: Signal
    /// The beat index (the vector form's V write address).
    var beat: Signal? = nil
    /// The buffer slot of the vector.
    var slot: Signal? = nil
    var sideband: IterNormSideband? = nil
    /// The stored `beta` bits of the beat (the degenerate output).
    var beta: Signal? = nil

    func map(_ transform: (Signal, String) -> Signal) -> IterNormBeatTag {
        IterNormBeatTag(first: first.map { transform($0, "first") }, last: transform(last, "last"),
                        beat: beat.map { transform($0, "beat") }, slot: slot.map { transform($0, "slot") },
                        sideband: sideband?.map { s, field in transform(s, "s_" + field) },
                        beta: beta.map { transform($0, "beta") })
    }
}

/// A pass's read sequencer: active while it reads, the beat and slot it reads, its last beat,
/// and when that last beat is read.
struct IterNormSequencer {
    let active: Signal, beat: Signal, slot: Signal, last: Signal
    let lastBeatTiming: Timing
}

extension IterNormDatapath {
    /// A sequencer that reads the `beats` beats of `slot`, one per cycle, from the cycle after
    /// `start` (at `timing`).
    func sequencer(_ base: String, start: Signal, at timing: Timing, slot: Signal,
                   beats: Signal) -> IterNormSequencer {
        let active = p.register(base + "_active", .bool, reset: 0)
        let beat = Counter(p.name(base + "_beat"), width: widths.beat, enable: p.advance)
        let slotReg = p.register(base + "_slot", .uint(widths.slot), reset: 0)
        let last = beat.value.zext(to: widths.count) &+ 1 == beats
        active <== mux(start, Const(1, width: 1), mux(active && last, Const(0, width: 1), active))
        beat.count(when: start || active, last: start || last)
        slotReg <== mux(start, slot, slotReg)
        return IterNormSequencer(active: active, beat: beat.value, slot: slotReg, last: active && last,
                                 lastBeatTiming: timing + Timing(beats: 1, cycles: 0))
    }

    /// The read side of a pass: the valid bit, the last (and with `first`, the first) beat flag
    /// and `tag`'s extra fields one register after the sequencer, when the buffer's read data is
    /// there.
    func readStream(_ base: String, _ seq: IterNormSequencer, first: Bool = true,
                    _ tag: IterNormBeatTag = IterNormBeatTag(last: Const(0, width: 1))) -> Staged<IterNormBeatTag> {
        var tag = tag
        tag.first = first ? seq.active && seq.beat == 0 : nil
        tag.last = seq.last
        return p.next(base + "_r", Staged(valid: seq.active, payload: tag, timing: seq.lastBeatTiming))
    }
}
