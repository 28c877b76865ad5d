/// The number of leading zero bits of `value` (its width when it is zero), as an unsigned value
/// of ceil(log2(width + 1)) bits. Built as a balanced tree of muxes: log-depth, linear size.
///
/// The tree's shared intermediates are named after `name` in the emitted Verilog:
/// `<name>_zero_<hi>_<lo>` (bits `hi..lo` of the padded word are all zero). The padded word
/// itself stays a generated temporary: its lowest bit, always 1, is never read.
public func leadingZeros(_ value: Signal, name: String = "lz") -> Signal {
    let valueBits = value.asUnsigned()
    // Pad with a 1 below the value (and more 1s up to a power of two): the padded word is never
    // zero, and its leading-zero count is exactly the value's, from 0 to width.
    var padded = 2
    while padded < value.width + 1 { padded *= 2 }
    let ones = Const(BitVector(words: [UInt64](repeating: ~0, count: (padded - value.width + 63) / 64),
                               width: padded - value.width))
    let word = cat(valueBits, ones)
    let (_, count) = leadingZeroTree(word, high: padded - 1, low: 0, name: name)
    let resultWidth = bitsFor(value.width)
    return count.width == resultWidth ? count : count.truncate(to: resultWidth)
}

/// For bits `high...low` of `word` (a power-of-two span): (all those bits zero, their leading
/// zeros) with log2(span) count bits (meaningful when not all zero). Slices `word` directly, so
/// the emitted Verilog needs no temporary per level.
private func leadingZeroTree(_ word: Signal, high: Int, low: Int, name: String) -> (allZero: Signal, count: Signal) {
    if high - low == 1 {
        return (!(word[high] || word[low]), !word[high])
    }
    let middle = (high + low + 1) / 2
    let (highZero, highCount) = leadingZeroTree(word, high: high, low: middle, name: name)
    let (lowZero, lowCount) = leadingZeroTree(word, high: middle - 1, low: low, name: name)
    // The high half's zero flag selects and combines: read twice, so it gets a name.
    let highIsZero = highZero.named("\(name)_zero_\(high)_\(middle)")
    let count = mux(highIsZero, cat(Const(1, width: 1), lowCount), cat(Const(0, width: 1), highCount))
    return (highIsZero && lowZero, count)
}
