import HDL

/// `value + 1`, or 0 after `modulus - 1`: the next position of a pointer that walks a ring of
/// `modulus` places (a queue pointer, a buffer slot).
func wrapIncrement(_ value: Signal, modulus: Int) -> Signal {
    mux(value == modulus - 1, Const(0, width: value.width), value &+ 1)
}

/// A counter register that resets to 0, counts up by one in the cycles its condition holds and
/// returns to 0 after its last value (Chisel's `util.Counter`, with the limit static or a signal).
struct Counter {
    /// The count register.
    let value: Signal

    /// Declares the register `name` of `width` bits; `enable` (a pipeline's advance) freezes it.
    init(_ name: String, width: Int, enable: Signal? = nil) {
        value = Reg(name, .uint(width), reset: 0, enable: enable)
    }

    /// Counts when `increment`, wrapping after `modulus - 1`; returns the wrap (1 in the cycle the
    /// count leaves its last value).
    @discardableResult
    func count(when increment: Signal, modulus: Int) -> Signal {
        value <== mux(increment, wrapIncrement(value, modulus: modulus), value)
        return increment && value == modulus - 1
    }

    /// Counts when `increment`, returning to 0 in the cycle `last` is 1 (a limit known only at run
    /// time, such as the beats of a vector).
    func count(when increment: Signal, last: Signal) {
        value <== mux(increment, mux(last, Const(0, width: value.width), value &+ 1), value)
    }
}
