/// The number of leading zero bits of `value` (its width when it is zero), as an unsigned value
/// of ceil(log2(width + 1)) bits. Built as a balanced tree of muxes: log-depth, linear size.
public func leadingZeros(_ value: Signal) -> Signal {
    let valueBits = value.asUnsigned()
    // Pad with a 1 below the value (and more 1s up to a power of two): the padded word is never
    // zero, and its leading-zero count is exactly the value's, from 0 to width.
    var padded = 2
    while padded < value.width + 1 { padded *= 2 }
    let ones = Const(BitVector(words: [UInt64](repeating: ~0, count: (padded - value.width + 63) / 64),
                               width: padded - value.width))
    let (_, count) = leadingZeroTree(cat(valueBits, ones))
    let resultWidth = bitsFor(value.width)
    return count.width == resultWidth ? count : count.truncate(to: resultWidth)
}

/// For a power-of-two-wide word: (all bits zero, leading zeros of the word) with log2(width)
/// count bits (meaningful when not all zero).
private func leadingZeroTree(_ word: Signal) -> (allZero: Signal, count: Signal) {
    if word.width == 2 {
        return (!(word[1] || word[0]), !word[1])
    }
    let half = word.width / 2
    let (highZero, highCount) = leadingZeroTree(word[word.width - 1, half])
    let (lowZero, lowCount) = leadingZeroTree(word[half - 1, 0])
    let count = mux(highZero, cat(Const(1, width: 1), lowCount), cat(Const(0, width: 1), highCount))
    return (highZero && lowZero, count)
}
