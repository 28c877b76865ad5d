/// Bits needed to hold the unsigned values `0...maxValue` (at least 1): the width of counters,
/// pointers, addresses, state encodings and shift amounts, in the DSL and in every generator.
///
/// ```swift
/// bitsFor(0) == 1; bitsFor(1) == 1; bitsFor(7) == 3; bitsFor(8) == 4
/// let beat = Reg("beat", .uint(bitsFor(beats - 1)), reset: 0)
/// ```
public func bitsFor(_ maxValue: Int) -> Int { max(1, Int.bitWidth - maxValue.leadingZeroBitCount) }
