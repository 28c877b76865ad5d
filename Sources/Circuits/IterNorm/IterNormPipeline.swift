import Golden
import HDL

/// Elaboration helper for the macro's one stalled pipeline: every register it makes loads only
/// when `advance` is 1 (the whole macro freezes while the output is back-pressured) and gets a
/// fresh deterministic name `<base>_<n>`.
final class IterNormPipeline {
    let advance: Signal
    private var counts: [String: Int] = [:]
    private let units = FPUnitInstances()

    init(advance: Signal) { self.advance = advance }

    /// A fresh deterministic name `<base>_<n>`.
    func name(_ base: String) -> String {
        let n = counts[base, default: 0]
        counts[base] = n + 1
        return "\(base)_\(n)"
    }

    /// A data pipeline register (no reset).
    func stage(_ base: String, _ next: Signal) -> Signal {
        RegNext(name(base), next, enable: advance)
    }

    /// A control pipeline register with reset value 0.
    func control(_ base: String, _ next: Signal) -> Signal {
        RegNext(name(base), next, reset: 0, enable: advance)
    }

    /// A register assigned by the caller (for feedback such as accumulators and counters).
    func register(_ base: String, _ type: HWType, reset: Int? = nil) -> Signal {
        Reg(name(base), type, reset: reset, enable: advance)
    }

    /// `staged` one register stage later: the valid bit as control (`<base>_v`), every payload
    /// signal as data (`<base>_<field>`).
    func next<Payload>(_ base: String, _ staged: Staged<Payload>) -> Staged<Payload> {
        Staged(valid: control(base + "_v", staged.valid),
               payload: staged.payload.map { signal, field in stage(field.isEmpty ? base : "\(base)_\(field)", signal) },
               timing: staged.timing + 1)
    }

    /// `staged` after `cycles` register stages.
    func next<Payload>(_ base: String, _ staged: Staged<Payload>, cycles: Int) -> Staged<Payload> {
        (0..<cycles).reduce(staged) { s, _ in next(base, s) }
    }

    /// Holds `value` from the cycle `load` is 1 (a vector's scalars for the duration of a pass).
    func latch(_ base: String, _ load: Signal, _ value: Signal) -> Signal {
        let r = register(base, value.type)
        r <== mux(load, value, r)
        return r
    }

    /// `y` of an instance of a data-port unit module (`FPUnitInstances.apply`).
    func unit(_ module: Module, _ operands: Signal...) -> Signal {
        switch operands.count {
        case 1: units.apply(module, operands[0])
        default: units.apply(module, operands[0], operands[1])
        }
    }

    /// A balanced reduction of `values` (lower index on the left), one registered level per
    /// stage, `log2(count)` stages; `count` must be a power of two.
    func tree(_ base: String, _ values: [Signal], _ combine: (Signal, Signal) -> Signal) -> Signal {
        var level = values
        while level.count > 1 {
            level = (0..<(level.count / 2)).map { i in stage(base, combine(level[2 * i], level[2 * i + 1])) }
        }
        return level[0]
    }

    /// The running accumulation over a vector's beats (the op order's `acc = T_0`,
    /// `acc = combine(acc, T_j)`): loads `value` on the first beat, combines it in on the others,
    /// holds while `valid` is 0.
    func accumulator(_ base: String, _ type: HWType, _ value: Signal, valid: Signal, first: Signal,
                     _ combine: (Signal, Signal) -> Signal) -> Signal {
        let acc = register(base, type)
        acc <== mux(valid, mux(first, value, combine(acc, value)), acc)
        return acc
    }

    /// `value` delayed by `cycles` pipeline registers.
    func delay(_ base: String, _ value: Signal, _ cycles: Int, control: Bool = false) -> Signal {
        delayLine(name(base), value, cycles: cycles, reset: control ? 0 : nil, enable: advance)
    }
}
