import Golden
import HDL

/// Per channel, in the statistics format: sum g and sum g * xhat, complete when `done` is 1.
struct RangeBNGradientSums {
    let sg: [Signal]
    let sgx: [Signal]
    let done: Signal
}

/// Per channel (FP32): what pass 2 applies, mean(g') = gamma * mean(g) and the range term
/// dL/dR / K, and the parameter gradients, complete when `done` is 1.
struct RangeBNGradientTerms {
    let meanGp: [Signal]
    let rangeTerms: [Signal]
    let dgammas: [Signal]
    let dbetas: [Signal]
    let done: Signal
}

extension RangeBNDatapath {
    /// Pass 1 of the backward pass over dequantized gradient lanes `g` beside the stored input
    /// lanes `x` (valid when `valid`), one FP operation per stage: B1 x - mean, B2 * scale (xhat),
    /// B3 g * xhat and g widened to A, B4 the product widened, B5 both into the channel's sums
    /// (a channel set is revisited C/P cycles later, so B5's read-modify-write sees its last write).
    /// `means` and `scales` are per channel, in two banks selected by `bank` or in one (nil).
    func gradientSums(g: [Signal], x: [Signal], valid: Signal, means: [Signal], scales: [Signal], bank: Signal?) -> RangeBNGradientSums {
        let n = golden.positions
        let set = Counter("bsum_set", width: bitsFor(sets - 1))
        let position = Counter("bsum_pos", width: bitsFor(n - 1))
        let lastSet = set.value == sets - 1
        set.count(when: valid, modulus: sets)
        position.count(when: valid && lastSet, modulus: n)
        let sg = channelRegisters("sum_g", width: accWidth), sgx = channelRegisters("sum_gx", width: accWidth)

        var stageValid = valid, stageSet = set.value
        var first = position.value == 0, last = lastSet & (position.value == n - 1)
        var flags: [(valid: Signal, set: Signal, first: Signal, last: Signal)] = []
        for stage in 1...4 {
            stageValid = RegNext("b\(stage)_valid", stageValid, reset: 0)
            stageSet = RegNext("b\(stage)_set", stageSet)
            first = RegNext("b\(stage)_first", first)
            last = RegNext("b\(stage)_last", last)
            flags.append((stageValid, stageSet, first, last))
        }
        let centered = (0..<lanes).map { l in
            RegNext("b1_centered\(l)", ops.apply(fp.sub, x[l], pick(means, lane: l, set: bankedSet(set.value, bank: bank))))
        }
        let g1 = (0..<lanes).map { RegNext("b1_g\($0)", g[$0]) }
        let xhat = (0..<lanes).map { l in
            RegNext("b2_xhat\(l)", ops.apply(fp.mul, centered[l], pick(scales, lane: l, set: bankedSet(flags[0].set, bank: bank))))
        }
        let g2 = (0..<lanes).map { RegNext("b2_g\($0)", g1[$0]) }
        let gx = (0..<lanes).map { RegNext("b3_gx\($0)", ops.apply(fp.mul, g2[$0], xhat[$0])) }
        let gWide3 = (0..<lanes).map { RegNext("b3_ga\($0)", ops.apply(toAcc, g2[$0])) }
        let gxWide = (0..<lanes).map { RegNext("b4_gxa\($0)", ops.apply(toAcc, gx[$0])) }
        let gWide = (0..<lanes).map { RegNext("b4_ga\($0)", gWide3[$0]) }
        let b4 = flags[3]
        let newSg = (0..<lanes).map { l in mux(b4.first, gWide[l], ops.apply(acc.add, pick(sg, lane: l, set: b4.set), gWide[l])) }
        let newSgx = (0..<lanes).map { l in mux(b4.first, gxWide[l], ops.apply(acc.add, pick(sgx, lane: l, set: b4.set), gxWide[l])) }
        When(b4.valid) {
            write(sg, newSg, set: b4.set)
            write(sgx, newSgx, set: b4.set)
        }
        return RangeBNGradientSums(sg: sg, sgx: sgx, done: RegNext("bsum_done", b4.valid & b4.last, reset: 0))
    }

    /// Backward finalize, one channel per cycle while `running`, one FP operation per stage:
    /// G1 dbeta = fp32(sg), dgamma = fp32(sgx), A mul sg / n; G2 fp32 of that, gamma * dgamma;
    /// G3 mean(g') = gamma * mean(g), * scale; G4 * (-C/K). Takes C + 4 cycles.
    func gradientFinalize(_ sums: RangeBNGradientSums, gammas: [Signal], scales: RangeBNChannelScales, bank: Signal,
                          running: Signal) -> RangeBNGradientTerms {
        let g = golden
        let invN = Const(Int(g.statFormat.fromDouble(1 / Double(g.positions))), width: accWidth)
        let cn = FloatFormat.fp32.toDouble(RangeBatchNorm.constantC(positions: g.positions, chunks: g.chunks))
        let negCOverK = Const(Int(FloatFormat.fp32.fromDouble(-cn / Double(g.chunks))), width: 32)
        let meanGp = channelRegisters("mean_gp", width: 32), terms = channelRegisters("range_term", width: 32)
        let dgammas = channelRegisters("dgamma", width: 32), dbetas = channelRegisters("dbeta", width: 32)
        let channel = Counter("bfin_channel", width: bitsFor(channels + 3))
        let done = channel.count(when: running, modulus: channels + 4)
        var at = [channel.value], valid = [running & (channel.value < channels)]
        for stage in 1...4 {
            at.append(RegNext("g\(stage)_channel", at.last!))
            valid.append(RegNext("g\(stage)_valid", valid.last!, reset: 0))
        }
        let sg = select(sums.sg, by: at[0])
        let dbeta1 = RegNext("g1_dbeta", ops.apply(toFP, sg))
        let dgamma1 = RegNext("g1_dgamma", ops.apply(toFP, select(sums.sgx, by: at[0])))
        let meanWide = RegNext("g1_mean_g", ops.apply(acc.mul, sg, invN))
        let meanG = RegNext("g2_mean_g", ops.apply(toFP, meanWide))
        let gammaDGamma = RegNext("g2_gamma_dgamma", ops.apply(fp.mul, select(gammas, by: at[1]), dgamma1))
        let meanGp2 = RegNext("g3_mean_gp", ops.apply(fp.mul, select(gammas, by: at[2]), meanG))
        let bankScale = mux(bank, select(Array(scales.scales[channels...]), by: at[2]), select(Array(scales.scales[..<channels]), by: at[2]))
        let scaled = RegNext("g3_scaled", ops.apply(fp.mul, gammaDGamma, bankScale))
        let term = RegNext("g4_term", ops.apply(fp.mul, scaled, negCOverK))
        let meanGp4 = RegNext("g4_mean_gp", meanGp2)
        let dgamma4 = RegNext("g4_dgamma", RegNext("g3_dgamma", RegNext("g2_dgamma", dgamma1)))
        let dbeta4 = RegNext("g4_dbeta", RegNext("g3_dbeta", RegNext("g2_dbeta", dbeta1)))
        When(valid[4]) {
            for c in 0..<channels {
                When(at[4] == c) {
                    meanGp[c] <== meanGp4
                    terms[c] <== term
                    dgammas[c] <== dgamma4
                    dbetas[c] <== dbeta4
                }
            }
        }
        return RangeBNGradientTerms(meanGp: meanGp, rangeTerms: terms, dgammas: dgammas, dbetas: dbetas, done: done)
    }

    /// Pass 2 over the dequantized gradient lanes read back (valid when `valid`), one FP
    /// operation per stage: D1 g' = gamma * g (and whether the element is its chunk's argmax or
    /// argmin), D2 g' - mean(g'), D3 * scale, D4 + or - the range term at an argmax or argmin
    /// (neither where they coincide). Returns dL/dx lanes and their valid bit, four cycles later.
    func inputGradient(g: [Signal], valid: Signal, _ terms: RangeBNGradientTerms, gammas: [Signal],
                       scales: RangeBNChannelScales, bank: Signal, statistics: RangeBNStatistics) -> (values: [Signal], valid: Signal) {
        let gc = golden
        let set = Counter("dx_set", width: bitsFor(sets - 1))
        let chunkPosition = Counter("dx_chunk_pos", width: bitsFor(gc.chunkSize - 1))
        let chunkIndex = Counter("dx_chunk_idx", width: bitsFor(gc.chunks - 1))
        let lastSet = set.value == sets - 1
        let lastInChunk = chunkPosition.value == gc.chunkSize - 1
        set.count(when: valid, modulus: sets)
        chunkPosition.count(when: valid && lastSet, modulus: gc.chunkSize)
        chunkIndex.count(when: valid && lastSet && lastInChunk, modulus: gc.chunks)
        func offset(_ stored: [[Signal]], lane: Int) -> Signal {
            muxLookup(chunkIndex.value, (0..<gc.chunks).map { j in pick(stored.map { $0[j] }, lane: lane, set: set.value) })
        }
        var stageValid = valid, stageSet = set.value
        var stageSets: [Signal] = []
        for stage in 1...4 {
            stageValid = RegNext("d\(stage)_valid", stageValid, reset: 0)
            if stage < 4 {
                stageSet = RegNext("d\(stage)_set", stageSet)
                stageSets.append(stageSet)
            }
        }
        let isMax = (0..<lanes).map { l in
            RegNext("d3_is_max\(l)", RegNext("d2_is_max\(l)", RegNext("d1_is_max\(l)", offset(statistics.argmax, lane: l) == chunkPosition.value)))
        }
        let isMin = (0..<lanes).map { l in
            RegNext("d3_is_min\(l)", RegNext("d2_is_min\(l)", RegNext("d1_is_min\(l)", offset(statistics.argmin, lane: l) == chunkPosition.value)))
        }
        let gp = (0..<lanes).map { l in RegNext("d1_gp\(l)", ops.apply(fp.mul, pick(gammas, lane: l, set: set.value), g[l])) }
        let centered = (0..<lanes).map { l in
            RegNext("d2_centered\(l)", ops.apply(fp.sub, gp[l], pick(terms.meanGp, lane: l, set: stageSets[0])))
        }
        let scaled = (0..<lanes).map { l in
            RegNext("d3_scaled\(l)", ops.apply(fp.mul, centered[l], pick(scales.scales, lane: l, set: bankedSet(stageSets[1], bank: bank))))
        }
        let values = (0..<lanes).map { l -> Signal in
            let term = pick(terms.rangeTerms, lane: l, set: stageSets[2])
            let signed = mux(isMin[l], cat(!term[31], term[30, 0]), term)
            return RegNext("d4_dx\(l)", mux(isMax[l] ^ isMin[l], ops.apply(fp.add, scaled[l], signed), scaled[l]))
        }
        return (values, stageValid)
    }

    /// Declares `dparam_valid/ready/channel/dgamma/dbeta` and offers dgamma and dbeta one channel
    /// per handshake while `active`; `channel` (0...C) is reset by the caller's pass, `done` is 1
    /// once every channel was taken.
    func parameterGradientPort(dgammas: [Signal], dbetas: [Signal], active: Signal) -> (channel: Counter, done: Signal) {
        let paramValid = Output("dparam_valid", .bool)
        let paramReady = Input("dparam_ready", .bool)
        let paramChannel = Output("dparam_channel", .uint(bitsFor(channels - 1)))
        let paramDGamma = Output("dparam_dgamma", .bits(32))
        let paramDBeta = Output("dparam_dbeta", .bits(32))
        let channel = Counter("dparam_idx", width: bitsFor(channels))
        let pending = active & (channel.value != channels)
        paramValid <== pending
        paramChannel <== channel.value.truncate(to: paramChannel.width)
        paramDGamma <== select(dgammas, by: channel.value)
        paramDBeta <== select(dbetas, by: channel.value)
        When(pending & paramReady) { channel.value <== channel.value &+ 1 }
        return (channel, channel.value == channels)
    }
}
