import HDL

/// `value >> amount` (unsigned amount of any width, amounts past the width included) with every
/// shifted-out bit ORed into bit 0: the sticky jamming that keeps round-to-nearest exact.
/// A logarithmic shifter: one mux level per amount bit below log2(width), then one clear. Each
/// level (read by the next level and by the sticky bit) is named `<name>_shr<distance>`.
func shiftRightJamming(_ value: Signal, by amount: Signal, name: String) -> Signal {
    let width = value.width
    let stagedBits = min(amount.width, bitsFor(width - 1))
    var shifted = value
    var sticky = Const(0, width: 1)
    for bit in 0..<stagedBits {
        let distance = 1 << bit
        let lost = shifted[distance - 1, 0].orReduce()
        sticky = sticky || (amount[bit] && lost)
        shifted = mux(amount[bit], shifted >> distance, shifted).named("\(name)_shr\(distance)")
    }
    if stagedBits < amount.width {
        // Any higher amount bit shifts every bit out.
        let clears = amount[amount.width - 1, stagedBits].orReduce()
        sticky = sticky || (clears && value.orReduce())
        shifted = mux(clears, Const(0, width: width), shifted)
    }
    return width == 1 ? sticky : shifted | cat(Const(0, width: width - 1), sticky)
}
