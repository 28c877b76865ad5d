import HDL

extension RangeBNDatapath {
    /// The normalize pass over the stored beats `x` read back (valid when `valid`):
    /// y = (x - mean) * a + beta per lane, one FP operation per stage (N1 sub, N2 mul, N3 add).
    /// Returns the lanes of y and their valid bit, three cycles after `valid`.
    func normalize(x: [Signal], valid: Signal, _ scales: RangeBNChannelScales, betas: [Signal]) -> (y: [Signal], valid: Signal) {
        let set = Counter("norm_set", width: bitsFor(sets - 1))
        set.count(when: valid, modulus: sets)
        let n1Valid = RegNext("n1_valid", valid, reset: 0)
        let n1Set = RegNext("n1_set", set.value)
        let n1Centered = (0..<lanes).map { l in
            RegNext("n1_centered\(l)", ops.apply(fp.sub, x[l], pick(scales.means, lane: l, set: set.value)))
        }
        let n2Valid = RegNext("n2_valid", n1Valid, reset: 0)
        let n2Set = RegNext("n2_set", n1Set)
        let n2Scaled = (0..<lanes).map { l in
            RegNext("n2_scaled\(l)", ops.apply(fp.mul, n1Centered[l], pick(scales.factors, lane: l, set: n1Set)))
        }
        let n3Valid = RegNext("n3_valid", n2Valid, reset: 0)
        let y = (0..<lanes).map { l in
            RegNext("n3_y\(l)", ops.apply(fp.add, n2Scaled[l], pick(betas, lane: l, set: n2Set)))
        }
        return (y, n3Valid)
    }
}
