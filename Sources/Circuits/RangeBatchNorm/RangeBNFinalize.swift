import Golden
import HDL

/// Per channel: the mean and the factor a = scale * gamma that normalize applies, complete when
/// `done` is 1.
struct RangeBNChannelScales {
    let means: [Signal]
    let factors: [Signal]
    /// 1 in the last cycle of the finalize phase.
    let done: Signal
}

extension RangeBNDatapath {
    /// Finalize, one channel per cycle while `running`, through a pipeline of one FP operation per
    /// stage: F1 A mul (sum / n, range sum / K), F2 conversion to FP32, F3 mul by C(n), F4 add eps,
    /// the reciprocal, F5 mul by gamma; channel index and mean travel beside it. It takes
    /// `config.finalizeCycles` cycles, the pipeline's drain included.
    func finalize(_ statistics: RangeBNStatistics, gammas: [Signal], reciprocal: Module, running: Signal) -> RangeBNChannelScales {
        let g = golden
        let invN = Const(Int(g.statFormat.fromDouble(1 / Double(g.positions))), width: accWidth)
        let invK = Const(Int(g.statFormat.fromDouble(1 / Double(g.chunks))), width: accWidth)
        let constantC = Const(Int(RangeBatchNorm.constantC(positions: g.positions, chunks: g.chunks)), width: 32)
        let eps = Const(Int(g.eps), width: 32)
        let means = channelRegisters("mean", width: 32)
        let factors = channelRegisters("factor", width: 32)

        let finalizeLast = channels + config.finalizeLatency - 1
        let channel = Counter("fin_channel", width: bitsFor(finalizeLast))
        let f1Valid = RegNext("f1_valid", running & (channel.value < channels), reset: 0)
        let f1Sum = RegNext("f1_sum", ops.apply(acc.mul, select(statistics.sums, by: channel.value), invN))
        let f1Range = RegNext("f1_range", ops.apply(acc.mul, select(statistics.ranges, by: channel.value), invK))
        let f2Valid = RegNext("f2_valid", f1Valid, reset: 0)
        let f2Mean = RegNext("f2_mean", ops.apply(toFP, f1Sum))
        let f2Range = RegNext("f2_range", ops.apply(toFP, f1Range))
        let f3Valid = RegNext("f3_valid", f2Valid, reset: 0)
        let f3Scaled = RegNext("f3_scaled", ops.apply(fp.mul, f2Range, constantC))
        let recip = Instance(reciprocal, "u_reciprocal")
        recip.in_valid <== RegNext("f4_valid", f3Valid, reset: 0)
        recip.d <== RegNext("f4_d", ops.apply(fp.add, f3Scaled, eps))
        let recipLatency = RangeBNReciprocalCircuit.latency(steps: g.newtonSteps)
        var resultChannel = channel.value, resultMean = f2Mean
        for stage in 0..<(4 + recipLatency) {
            resultChannel = RegNext("fin_channel_d\(stage)", resultChannel)
            if stage >= 2 { resultMean = RegNext("fin_mean_d\(stage)", resultMean) }
        }
        let f5Valid = RegNext("f5_valid", recip.out_valid, reset: 0)
        let f5Channel = RegNext("f5_channel", resultChannel)
        let f5Mean = RegNext("f5_mean", resultMean)
        let f5Factor = RegNext("f5_factor", ops.apply(fp.mul, recip.r, select(gammas, by: resultChannel)))
        When(f5Valid) {
            for c in 0..<channels {
                When(f5Channel == c) {
                    means[c] <== f5Mean
                    factors[c] <== f5Factor
                }
            }
        }
        let done = channel.count(when: running, modulus: finalizeLast + 1)
        return RangeBNChannelScales(means: means, factors: factors, done: done)
    }
}
