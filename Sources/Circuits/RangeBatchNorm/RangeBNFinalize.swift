import Golden
import HDL

/// Per channel and bank (`bank * C + channel`): what the normalize pass applies, written by one
/// finalize per tensor into the bank the tensor's parity selects, so a tensor's finalize runs
/// while the previous tensor is normalized from the other bank.
struct RangeBNChannelScales {
    let means: [Signal]
    /// a = scale * gamma.
    let factors: [Signal]
    /// beta as it was when the tensor was finalized.
    let betas: [Signal]
    /// scale = 1 / (R C + eps), kept only for a backward pass (empty otherwise).
    let scales: [Signal]
    /// 1 in the cycle the tensor's last channel is written.
    let done: Signal
    /// 1 while a finalize reads the statistics (from `start` to its last channel's entry).
    let busy: Signal
    /// The bank the next finalize writes.
    let bank: Signal
}

/// The running statistics (PyTorch momentum convention, `RangeBatchNormRunning`), per channel.
struct RangeBNRunningStatistics {
    let means: [Signal]
    let ranges: [Signal]
}

extension RangeBNDatapath {
    /// Finalize, one channel per cycle from `start`, through a pipeline of one FP operation per
    /// stage: F1 A mul (sum / n, range sum / K), F2 conversion to FP32, F3 mul by C(n), F4 add eps,
    /// the reciprocal, F5 mul by gamma; channel index and mean travel beside it. Beside F3 and F4
    /// the running statistics take the tensor's mean and range. `sums` and `ranges` (per channel,
    /// in A) must hold still while `busy`.
    func finalize(sums: [Signal], ranges: [Signal], start: Signal, gammas: [Signal], betas: [Signal],
                  reciprocal: Module, keepsScales: Bool) -> (RangeBNChannelScales, RangeBNRunningStatistics) {
        let g = golden
        let invN = Const(Int(g.statFormat.fromDouble(1 / Double(g.positions))), width: accWidth)
        let invK = Const(Int(g.statFormat.fromDouble(1 / Double(g.chunks))), width: accWidth)
        let constantC = Const(Int(RangeBatchNorm.constantC(positions: g.positions, chunks: g.chunks)), width: 32)
        let eps = Const(Int(g.eps), width: 32)
        let banked = { (name: String) in (0..<2).flatMap { b in (0..<channels).map { Reg("\(name)\(b)_\($0)", .bits(32)) } } }
        let means = banked("mean"), factors = banked("factor"), keptBetas = banked("beta_b")
        let scales = keepsScales ? banked("scale") : []

        let finalizeLast = channels + config.finalizeLatency - 1
        let active = Reg("fin_active", .bool, reset: 0)
        let bank = Reg("fin_bank", .bool, reset: 0)
        let channel = Counter("fin_channel", width: bitsFor(finalizeLast))
        let running = active | start
        let f1Valid = RegNext("f1_valid", running & (channel.value < channels), reset: 0)
        let f1Sum = RegNext("f1_sum", ops.apply(acc.mul, select(sums, by: channel.value), invN))
        let f1Range = RegNext("f1_range", ops.apply(acc.mul, select(ranges, by: channel.value), invK))
        let f2Valid = RegNext("f2_valid", f1Valid, reset: 0)
        let f2Mean = RegNext("f2_mean", ops.apply(toFP, f1Sum))
        let f2Range = RegNext("f2_range", ops.apply(toFP, f1Range))
        let f3Valid = RegNext("f3_valid", f2Valid, reset: 0)
        let f3Scaled = RegNext("f3_scaled", ops.apply(fp.mul, f2Range, constantC))
        let recip = Instance(reciprocal, "u_reciprocal")
        recip.in_valid <== RegNext("f4_valid", f3Valid, reset: 0)
        recip.d <== RegNext("f4_d", ops.apply(fp.add, f3Scaled, eps))
        let recipLatency = RangeBNReciprocalCircuit.latency(steps: g.newtonSteps)
        var channelAt = [channel.value], resultMean = f2Mean, resultScale = recip.r
        for stage in 0..<(4 + recipLatency) {
            channelAt.append(RegNext("fin_channel_d\(stage)", channelAt.last!))
            if stage >= 2 { resultMean = RegNext("fin_mean_d\(stage)", resultMean) }
        }
        let runningStatistics = updateRunning(mean: f2Mean, range: f2Range, valid: f2Valid, channel: channelAt[2])
        let f5Valid = RegNext("f5_valid", recip.out_valid, reset: 0)
        let f5Channel = RegNext("f5_channel", channelAt.last!)
        let f5Mean = RegNext("f5_mean", resultMean)
        let f5Factor = RegNext("f5_factor", ops.apply(fp.mul, recip.r, select(gammas, by: channelAt.last!)))
        let f5Beta = RegNext("f5_beta", select(betas, by: channelAt.last!))
        if keepsScales { resultScale = RegNext("f5_scale", recip.r) }
        When(f5Valid) {
            for b in 0..<2 {
                for c in 0..<channels {
                    When((b == 1 ? bank : !bank) & (f5Channel == c)) {
                        means[b * channels + c] <== f5Mean
                        factors[b * channels + c] <== f5Factor
                        keptBetas[b * channels + c] <== f5Beta
                        if keepsScales { scales[b * channels + c] <== resultScale }
                    }
                }
            }
        }
        let done = channel.count(when: running, modulus: finalizeLast + 1)
        When(start) { active <== 1 }
        When(done) {
            active <== 0
            bank <== !bank
        }
        let scalesOut = RangeBNChannelScales(means: means, factors: factors, betas: keptBetas, scales: scales,
                                             done: done, busy: running, bank: bank)
        return (scalesOut, runningStatistics)
    }

    /// running = add(mul(1 - momentum, running), mul(momentum, batch)) for the mean and the
    /// range of `channel` (F2's outputs, one channel per cycle): products in F3, sum into the
    /// register at F3's end.
    private func updateRunning(mean: Signal, range: Signal, valid: Signal, channel: Signal) -> RangeBNRunningStatistics {
        let (keep, take) = RangeBatchNormRunning.weights(momentum: config.momentum)
        let initial = RangeBatchNormRunning(channels: channels, positions: golden.positions, chunks: golden.chunks)
        let runningMeans = (0..<channels).map { Reg("run_mean\($0)", .bits(32), reset: Int(initial.mean[$0])) }
        let runningRanges = (0..<channels).map { Reg("run_range\($0)", .bits(32), reset: Int(initial.range[$0])) }
        let keepConst = Const(Int(keep), width: 32), takeConst = Const(Int(take), width: 32)
        let r1Valid = RegNext("r1_valid", valid, reset: 0)
        let r1Channel = RegNext("r1_channel", channel)
        let r1KeptMean = RegNext("r1_kept_mean", ops.apply(fp.mul, keepConst, select(runningMeans, by: channel)))
        let r1TakenMean = RegNext("r1_taken_mean", ops.apply(fp.mul, takeConst, mean))
        let r1KeptRange = RegNext("r1_kept_range", ops.apply(fp.mul, keepConst, select(runningRanges, by: channel)))
        let r1TakenRange = RegNext("r1_taken_range", ops.apply(fp.mul, takeConst, range))
        let newMean = ops.apply(fp.add, r1KeptMean, r1TakenMean), newRange = ops.apply(fp.add, r1KeptRange, r1TakenRange)
        When(r1Valid) {
            for c in 0..<channels {
                When(r1Channel == c) {
                    runningMeans[c] <== newMean
                    runningRanges[c] <== newRange
                }
            }
        }
        return RangeBNRunningStatistics(means: runningMeans, ranges: runningRanges)
    }
}
