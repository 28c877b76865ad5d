import HDL

extension RangeBNDatapath {
    /// The normalize pass over the stored beats `x` read back (valid when `valid`), tensor after
    /// tensor, each from the bank of per-channel values its finalize wrote (banks alternate, a
    /// tensor is `config.beatsPerTensor` beats): y = (x - mean) * a + beta per lane, one FP
    /// operation per stage (N1 sub, N2 mul, N3 add). Returns the lanes of y and their valid bit,
    /// three cycles after `valid`. `means`, `factors` and `betas` hold two banks
    /// (`bank * C + channel`, `RangeBNChannelScales`), or one with `banked` false (inference).
    func normalize(x: [Signal], valid: Signal, means: [Signal], factors: [Signal], betas: [Signal],
                   banked: Bool = true) -> (y: [Signal], valid: Signal) {
        let set = Counter("norm_set", width: bitsFor(sets - 1))
        set.count(when: valid, modulus: sets)
        var n0Set = set.value
        if banked {
            let beat = Counter("norm_beat", width: bitsFor(config.beatsPerTensor - 1))
            let bank = Reg("norm_bank", .bool, reset: 0)
            When(beat.count(when: valid, modulus: config.beatsPerTensor)) { bank <== !bank }
            n0Set = bankedSet(set.value, bank: bank)
        }
        let n1Valid = RegNext("n1_valid", valid, reset: 0)
        let n1Set = RegNext("n1_set", n0Set)
        let n1Centered = (0..<lanes).map { l in
            RegNext("n1_centered\(l)", ops.apply(fp.sub, x[l], pick(means, lane: l, set: n0Set)))
        }
        let n2Valid = RegNext("n2_valid", n1Valid, reset: 0)
        let n2Set = RegNext("n2_set", n1Set)
        let n2Scaled = (0..<lanes).map { l in
            RegNext("n2_scaled\(l)", ops.apply(fp.mul, n1Centered[l], pick(factors, lane: l, set: n1Set)))
        }
        let n3Valid = RegNext("n3_valid", n2Valid, reset: 0)
        let y = (0..<lanes).map { l in
            RegNext("n3_y\(l)", ops.apply(fp.add, n2Scaled[l], pick(betas, lane: l, set: n2Set)))
        }
        return (y, n3Valid)
    }

    /// The channel-set index into banked per-channel registers (`bank * C + channel`):
    /// `bank * sets + set`; `set` itself without banks.
    func bankedSet(_ set: Signal, bank: Signal?) -> Signal {
        guard let bank else { return set }
        let width = bitsFor(2 * sets - 1)
        return mux(bank, set.zext(to: width) &+ sets, set.zext(to: width))
    }
}
