import HDL

/// The per-channel statistics of a tensor, complete when `done` is 1.
struct RangeBNStatistics {
    /// Sum of the channel's values, in the statistics format A.
    let sums: [Signal]
    /// Sum of the channel's chunk ranges (max - min per chunk), in A.
    let ranges: [Signal]
    /// 1 in the first cycle every sum of the tensor is complete (the next tensor's first beat
    /// overwrites them at the end of it).
    let sumsDone: Signal
    /// 1 in the cycle the last chunk range of the tensor is added.
    let done: Signal
    /// Per channel and chunk (`[channel][chunk]`), the offset in the chunk where the running
    /// maximum (minimum) last changed: `RangeBatchNormStatistics.argmax`; empty unless asked for.
    let argmax: [[Signal]]
    let argmin: [[Signal]]
}

extension RangeBNDatapath {
    /// The statistics pass over the dequantized input beats `x` (valid when `valid`), one FP
    /// operation per stage. The position counters run at the dequantizer's output; S1 registers
    /// the lanes (FP32 and widened to A); S2 updates the per-channel accumulators (A add for the
    /// sum, FP32 max/min for the chunk: each a one-operation feedback loop, a channel set is
    /// revisited C/P cycles later); at a chunk's last position S3 widens its max and min, S4
    /// subtracts them and S5 adds the width to the channel's range sum (a channel's next chunk
    /// ends n/K * C/P >= 2 cycles later, so S5's read-modify-write sees the previous write).
    /// With `tracksExtremes`, S2 also follows where each channel's running maximum and minimum
    /// last changed encoding and stores that offset per chunk (the backward pass's argmax/argmin).
    func statistics(x: [Signal], valid: Signal, tracksExtremes: Bool = false) -> RangeBNStatistics {
        let g = golden
        let set = Counter("stat_set", width: bitsFor(sets - 1))
        let position = Counter("stat_pos", width: bitsFor(g.positions - 1))
        let chunkPosition = Counter("chunk_pos", width: bitsFor(g.chunkSize - 1))
        let chunkIndex = Counter("chunk_idx", width: bitsFor(g.chunks - 1))
        let sums = channelRegisters("sum", width: accWidth)
        let ranges = channelRegisters("range", width: accWidth)
        let maxima = channelRegisters("max", width: 32)
        let minima = channelRegisters("min", width: 32)
        let lastSet = set.value == sets - 1
        let lastInChunk = chunkPosition.value == g.chunkSize - 1
        set.count(when: valid, modulus: sets)
        position.count(when: valid && lastSet, modulus: g.positions)
        chunkPosition.count(when: valid && lastSet, modulus: g.chunkSize)
        chunkIndex.count(when: valid && lastSet && lastInChunk, modulus: g.chunks)

        // S1: the lanes and where the beat sits in its channel and chunk.
        let s1Valid = RegNext("s1_valid", valid, reset: 0)
        let s1Set = RegNext("s1_set", set.value)
        let s1FirstPosition = RegNext("s1_first_pos", position.value == 0)
        let s1FirstInChunk = RegNext("s1_first_in_chunk", chunkPosition.value == 0)
        let s1LastInChunk = RegNext("s1_last_in_chunk", lastInChunk)
        let s1FirstChunk = RegNext("s1_first_chunk", chunkIndex.value == 0)
        let s1LastBeat = RegNext("s1_last_beat", lastSet & (position.value == g.positions - 1))
        let s1X = (0..<lanes).map { RegNext("s1_x\($0)", x[$0]) }
        let s1Wide = (0..<lanes).map { RegNext("s1_xa\($0)", ops.apply(toAcc, x[$0])) }

        // S2: the running sum and the chunk's max and min per channel.
        let sum = (0..<lanes).map { l in
            mux(s1FirstPosition, s1Wide[l], ops.apply(acc.add, pick(sums, lane: l, set: s1Set), s1Wide[l]))
        }
        let maximum = (0..<lanes).map { l in
            mux(s1FirstInChunk, s1X[l], ops.apply(fp.maximum, pick(maxima, lane: l, set: s1Set), s1X[l]))
        }
        let minimum = (0..<lanes).map { l in
            mux(s1FirstInChunk, s1X[l], ops.apply(fp.minimum, pick(minima, lane: l, set: s1Set), s1X[l]))
        }
        When(s1Valid) {
            write(sums, sum, set: s1Set)
            write(maxima, maximum, set: s1Set)
            write(minima, minimum, set: s1Set)
        }
        var argmax: [[Signal]] = [], argmin: [[Signal]] = []
        if tracksExtremes {
            let s1ChunkIndex = RegNext("s1_chunk_idx", chunkIndex.value)
            let s1ChunkPosition = RegNext("s1_chunk_pos", chunkPosition.value)
            argmax = extremeOffsets("argmax", running: maxima, next: maximum, set: s1Set, valid: s1Valid,
                                    first: s1FirstInChunk, last: s1LastInChunk, offset: s1ChunkPosition, chunk: s1ChunkIndex)
            argmin = extremeOffsets("argmin", running: minima, next: minimum, set: s1Set, valid: s1Valid,
                                    first: s1FirstInChunk, last: s1LastInChunk, offset: s1ChunkPosition, chunk: s1ChunkIndex)
        }

        // S2-S4 at a chunk's end: set, first-chunk and last-beat flags travel with the values.
        var rangeValid = s1Valid & s1LastInChunk
        var rangeSet = s1Set, rangeFirstChunk = s1FirstChunk, rangeLastBeat = s1LastBeat
        for stage in ["s2", "s3", "s4"] {
            rangeValid = RegNext("\(stage)_valid", rangeValid, reset: 0)
            rangeSet = RegNext("\(stage)_set", rangeSet)
            rangeFirstChunk = RegNext("\(stage)_first_chunk", rangeFirstChunk)
            rangeLastBeat = RegNext("\(stage)_last_beat", rangeLastBeat)
        }
        let s2Max = (0..<lanes).map { RegNext("s2_max\($0)", maximum[$0]) }
        let s2Min = (0..<lanes).map { RegNext("s2_min\($0)", minimum[$0]) }
        let s3Max = (0..<lanes).map { RegNext("s3_max\($0)", ops.apply(toAcc, s2Max[$0])) }
        let s3Min = (0..<lanes).map { RegNext("s3_min\($0)", ops.apply(toAcc, s2Min[$0])) }
        let s4Width = (0..<lanes).map { RegNext("s4_width\($0)", ops.apply(acc.sub, s3Max[$0], s3Min[$0])) }

        // S5: the chunk's width into the channel's range sum.
        let range = (0..<lanes).map { l in
            mux(rangeFirstChunk, s4Width[l], ops.apply(acc.add, pick(ranges, lane: l, set: rangeSet), s4Width[l]))
        }
        When(rangeValid) { write(ranges, range, set: rangeSet) }
        let sumsDone = RegNext("sums_done", s1Valid & s1LastBeat, reset: 0)
        return RangeBNStatistics(sums: sums, ranges: ranges, sumsDone: sumsDone, done: rangeValid & rangeLastBeat,
                                 argmax: argmax, argmin: argmin)
    }

    /// S2 beside the running extreme: the offset where it last changed (0 at a chunk's first
    /// position), per channel, stored per chunk at the chunk's last position.
    private func extremeOffsets(_ name: String, running: [Signal], next: [Signal], set: Signal, valid: Signal,
                                first: Signal, last: Signal, offset: Signal, chunk: Signal) -> [[Signal]] {
        let g = golden
        let current = channelRegisters("\(name)_cur", width: offset.width)
        let stored = (0..<channels).map { c in (0..<g.chunks).map { j in Reg("\(name)\(c)_\(j)", .bits(offset.width)) } }
        let updated = (0..<lanes).map { l in
            mux(first, Const(0, width: offset.width),
                mux(next[l] != pick(running, lane: l, set: set), offset, pick(current, lane: l, set: set)))
        }
        When(valid) {
            write(current, updated, set: set)
            When(last) {
                for (lane, value) in updated.enumerated() {
                    for s in 0..<sets {
                        for j in 0..<g.chunks {
                            When((set == s) & (chunk == j)) { stored[s * lanes + lane][j] <== value }
                        }
                    }
                }
            }
        }
        return stored
    }
}
