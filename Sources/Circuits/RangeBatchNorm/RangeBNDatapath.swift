import Golden
import HDL

/// What the range-BN unit's passes share inside its module body: the configuration, the FP unit
/// modules of both formats and the instance maker, and the per-channel register files.
struct RangeBNDatapath {
    let config: RangeBNUnitConfig
    /// FP32 units, statistics-format (A) units, and the conversions between them.
    let fp: RangeBNUnitModules, acc: RangeBNUnitModules
    let toAcc: Module, toFP: Module
    let ops: FPUnitInstances
    /// The statistics format's encoding width.
    let accWidth: Int

    var golden: RangeBatchNormConfig { config.golden }
    var lanes: Int { config.lanes }
    var channels: Int { golden.channels }
    /// Beats per position: channel sets of P lanes.
    var sets: Int { config.beatsPerPosition }

    /// One register per channel, `<name><c>`.
    func channelRegisters(_ name: String, width: Int) -> [Signal] {
        (0..<channels).map { Reg("\(name)\($0)", .bits(width)) }
    }

    /// Channel `set * lanes + lane` of a per-channel register file.
    func pick(_ registers: [Signal], lane: Int, set: Signal) -> Signal {
        muxLookup(set, stride(from: lane, to: registers.count, by: lanes).map { registers[$0] })
    }

    /// Writes `values[lane]` into channel `set * lanes + lane` of a register file.
    func write(_ registers: [Signal], _ values: [Signal], set: Signal) {
        for (lane, value) in values.enumerated() {
            for s in 0..<sets {
                When(set == s) { registers[s * lanes + lane] <== value }
            }
        }
    }

    /// `registers[index]` for an index in range (another entry otherwise), as a balanced tree of
    /// muxes on the index bits: log2 C levels, where a priority chain would be C levels in front
    /// of the finalize stage's FP unit.
    func select(_ registers: [Signal], by index: Signal) -> Signal {
        var level = registers, bit = 0
        while level.count > 1 {
            precondition(bit < index.width, "index too narrow for \(registers.count) entries")
            let high = index[bit]
            level = stride(from: 0, to: level.count, by: 2).map { i in
                i + 1 < level.count ? mux(high, level[i + 1], level[i]) : level[i]
            }
            bit += 1
        }
        return level[0]
    }
}
