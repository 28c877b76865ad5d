import Golden
import HDL

/// Pass 1's statistics of a vector, complete when its valid bit is 1 (the accumulators hold them
/// until the next vector's first beat).
struct IterNormStatistics: StagePayload {
    /// `sumTree(cvtW(x_i))` in `W` (LayerNorm); the wide LayerNorm's exact sum as an integer.
    var sum: Signal?
    /// The largest magnitude (encoding without the sign).
    var maxMagnitude: Signal
    /// Some element is NaN or infinite.
    var nan: Signal
    /// Every element equals the first (LayerNorm).
    var allEqual: Signal?
    var slot: Signal

    func map(_ transform: (Signal, String) -> Signal) -> IterNormStatistics {
        IterNormStatistics(sum: sum.map { transform($0, "sum") }, maxMagnitude: transform(maxMagnitude, "max"),
                           nan: transform(nan, "nan"), allEqual: allEqual.map { transform($0, "eq") },
                           slot: transform(slot, "slot"))
    }
}

/// What the input pass hands on.
struct IterNormInputPassResult {
    /// The vector buffer, `slots` vectors of `nb` beats, written by this pass.
    let buffer: Memory
    let constants: IterNormLengthConstants
    /// A vector's first beat is accepted into `slot` (which becomes busy).
    let claim: Signal, claimSlot: Signal
    let statistics: Staged<IterNormStatistics>
}

extension IterNormDatapath {
    /// Pass 1 (docs/iternorm-architecture.md): accepts the beats into a free buffer slot and
    /// computes the statistics: the sum in `W` (LayerNorm), the largest magnitude, the NaN/Inf
    /// flag and the all-equal flag, each a `P`-input tree per beat and an accumulator over beats.
    func inputPass(_ ports: IterNormPorts, slotsBusy: [Signal]) -> IterNormInputPassResult {
        let writeSlot = p.register("write_slot", .uint(widths.slot), reset: 0)
        let beat = Counter(p.name("in_beat"), width: widths.beat, enable: p.advance)
        let beats = p.register("beats_now", .uint(widths.count), reset: 0)
        let first = beat.value == 0
        let anyBusy = slotsBusy.dropFirst().reduce(slotsBusy[0]) { $0 || $1 }
        let slotFree = !muxLookup(writeSlot, slotsBusy)
        let sameD = ports.inBeats == beats || !anyBusy
        let legalBeats = ports.inBeats != 0 && ports.inBeats <= Const(macro.maxBeats, width: widths.count)
        // The vector form's single iteration engine takes one vector at a time.
        let admit = c.form == .vector ? !anyBusy : slotFree && sameD
        let ready = p.advance && (!first || (admit && legalBeats))
        ports.inReady <== ready
        let fire = ports.inValid && ready
        let vectorBeats = mux(first, ports.inBeats, beats)
        let last = beat.value.zext(to: widths.count) &+ 1 == vectorBeats
        beat.count(when: fire, last: last)
        beats <== mux(fire && first, ports.inBeats, beats)
        writeSlot <== mux(fire && last, wrapIncrement(writeSlot, modulus: macro.slots), writeSlot)
        let loadTables = fire && first
        let constants = IterNormLengthConstants(
            beats: beats,
            meanScale: tableRegister("mean_scale_now", tables.meanScale, w, ports.inBeats, loadTables),
            sqrtD: tableRegister("sqrt_d_now", tables.sqrtD, a, ports.inBeats, loadTables),
            dEps: tableRegister("d_eps_now", tables.dEps, a, ports.inBeats, loadTables),
            d: c.centresByLength ? tableRegister("d_now", tables.d, w, ports.inBeats, loadTables) : nil)

        let buffer = Memory("buffer", depth: macro.slots << widths.beat, .bits(lanes * f.width))
        When(fire) { buffer.write(cat(writeSlot, beat.value), ports.inData) }

        // Lane stage: register the beat, then convert (mean) and classify (flags) each lane.
        let x = p.stage("p1_x", ports.inData)
        let stream = p.next("p1", Staged(valid: fire, payload: IterNormBeatTag(first: fire && first, last: fire && last,
                                                                                slot: writeSlot),
                                         timing: .lastBeat))
        let isFirst = stream.payload.first!
        let xs = self.lanes(of: x, f)
        let magnitudeWidth = f.width - 1
        let laneNaN = p.stage("p1_nan", xs.map { $0[f.width - 2, f.fractionBits].andReduce() }.reduce(Const(0, width: 1)) { $0 || $1 })
        // All-equal (LayerNorm): every lane equals lane 0 of the vector's first beat (+0 == -0).
        let laneEqual = layerNorm ? p.stage("p1_equal", lanesEqualFirst(xs, isFirst: isFirst, valid: stream.valid)) : nil
        let magnitudes = xs.map { p.stage("p1_mag", $0[magnitudeWidth - 1, 0]) }
        let treeMax = p.tree("p1_max", magnitudes) { l, r in mux(r > l, r, l) }
        // The sum: exact integers in the wide LayerNorm (the lane stage holds x_i, not its
        // 289-bit integer; the shift into place is short next to a float conversion), W otherwise.
        let treeSum: Signal? = !layerNorm ? nil : units.toFixed.map { toFixed in
            p.tree("p1_sum", xs.map { p.unit(toFixed, p.stage("p1_w", $0)) }) { $0 &+ $1 }
        } ?? p.tree("p1_sum", xs.map { p.stage("p1_w", p.unit(units.toMean, $0)) }) { l, r in p.unit(units.addW, l, r) }
        // The flags and the slot meet the tree outputs.
        let t = p.next("p1_t", stream, cycles: 1 + log2P)
        let tFirst = t.payload.first!
        let tNaN = p.delay("p1_tn", laneNaN, log2P)

        // Accumulators over the beats of a vector.
        let accMax = p.register("acc_max", .uint(magnitudeWidth))
        accMax <== mux(t.valid, mux(tFirst || treeMax > accMax, treeMax, accMax), accMax)
        let accEqual = laneEqual.map { lane in
            p.accumulator("acc_equal", .bool, p.delay("p1_te", lane, log2P), valid: t.valid, first: tFirst) { $0 && $1 }
        }
        let accNaN = p.register("acc_nan", .bool)
        accNaN <== mux(t.valid, mux(tFirst, tNaN, accNaN || tNaN), accNaN)
        let accSum = treeSum.map { tree in
            c.centresByLength
                ? p.accumulator("acc_sum", .bits(tree.width), tree, valid: t.valid, first: tFirst) { $0 &+ $1 }
                : p.accumulator("acc_sum", .bits(w.width), tree, valid: t.valid, first: tFirst) { p.unit(units.addW, $0, $1) }
        }
        let done = Staged(valid: p.control("p1_done", t.valid && t.payload.last),
                          payload: IterNormStatistics(sum: accSum, maxMagnitude: accMax, nan: accNaN, allEqual: accEqual,
                                                      slot: p.stage("p1_done_slot", t.payload.slot!)),
                          timing: t.timing + 1)
        return IterNormInputPassResult(buffer: buffer, constants: constants, claim: fire && first, claimSlot: writeSlot,
                                       statistics: done)
    }

    /// Per beat: every lane equals lane 0 of the vector's first beat, bitwise or both zero.
    private func lanesEqualFirst(_ xs: [Signal], isFirst: Signal, valid: Signal) -> Signal {
        let magnitudeWidth = f.width - 1
        let reference = p.register("p1_ref", .bits(f.width))
        let ref = mux(isFirst, xs[0], reference)
        reference <== mux(valid && isFirst, xs[0], reference)
        let refZero = ref[magnitudeWidth - 1, 0] == 0
        return xs.reduce(Const(1, width: 1)) { equal, xi in
            equal && (xi == ref || (xi[magnitudeWidth - 1, 0] == 0 && refZero))
        }
    }

    /// A register loaded with `entries[index]` when `load` (a per-d constant).
    private func tableRegister(_ name: String, _ entries: [UInt64], _ format: FloatFormat,
                               _ index: Signal, _ load: Signal) -> Signal {
        let r = p.register(name, .bits(format.width), reset: 0)
        r <== mux(load, muxLookup(index, entries, width: format.width), r)
        return r
    }
}
