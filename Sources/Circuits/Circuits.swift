/// Circuit generators written in the HDL DSL: floating-point units, the IterNorm macro,
/// BFP converters and the range batch-norm unit.
public enum Circuits {}

/// Bits needed to hold the unsigned values `0...maxValue` (at least 1): the width of counters,
/// pointers and exponent fields in every generator.
func bitsFor(_ maxValue: Int) -> Int { max(1, Int.bitWidth - maxValue.leadingZeroBitCount) }
