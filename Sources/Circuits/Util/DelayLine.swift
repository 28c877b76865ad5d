import HDL

/// `value` delayed by `cycles` registers `<name>_0 ...` (a shift register); with `reset`, the
/// registers reset to it (control bits), and `enable` freezes the line.
func delayLine(_ name: String, _ value: Signal, cycles: Int, reset: Int? = nil, enable: Signal? = nil) -> Signal {
    var v = value
    for k in 0..<cycles { v = RegNext(cycles == 1 ? name : "\(name)_\(k)", v, reset: reset, enable: enable) }
    return v
}
