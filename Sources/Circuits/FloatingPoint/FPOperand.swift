import Golden
import HDL

/// The fields and classification of one encoding, as signals named `<name>_<field>` in the
/// emitted Verilog (`a_significand`). Each is built, and named, on first use, so a unit declares
/// only the wires it reads (`verilator -Wall` rejects unread ones). Without a name (for
/// `classify`, whose caller may read only some flags) they stay unnamed expressions.
final class FPOperand {
    private let bits: Signal
    private let format: FloatFormat
    private let name: String?

    init(_ bits: Signal, _ format: FloatFormat, name: String?) {
        self.bits = bits
        self.format = format
        self.name = name
    }

    var sign: Signal { bits[format.width - 1] }
    /// Biased exponent field (`exponentBits` bits).
    var field: Signal { bits[format.width - 2, format.fractionBits] }
    /// Stored fraction (`fractionBits` bits).
    var fraction: Signal { bits[format.fractionBits - 1, 0] }
    private lazy var fieldZero = label(!field.orReduce(), "field_zero")
    private lazy var fieldOnes = label(field.andReduce(), "field_ones")
    private lazy var fractionZero = label(!fraction.orReduce(), "fraction_zero")
    lazy var isZero = label(fieldZero && fractionZero, "is_zero")
    lazy var isSubnormal = label(fieldZero && !fractionZero, "is_subnormal")
    lazy var isInfinite = label(fieldOnes && fractionZero, "is_inf")
    lazy var isNaN = label(fieldOnes && !fractionZero, "is_nan")
    /// The significand with its hidden bit (`precision` bits): 0 for zeros and subnormals.
    lazy var significand = label(cat(!fieldZero, fraction), "significand")

    /// The top `bits` bits of `significand` (a normal operand's leading 1 and top fraction bits),
    /// for an operand known to have no more significant bits.
    func significandTop(_ bits: Int) -> Signal {
        let f = format.fractionBits, n = min(f + 1, max(1, bits))
        return label(n == 1 ? !fieldZero : cat(!fieldZero, fraction[f - 1, f + 1 - n]), "significand_top")
    }
    /// The exponent field a finite value is scaled by: `max(field, 1)`, so that
    /// `|a| = significand * 2^(effectiveField - bias - fractionBits)` for every finite `a`.
    lazy var effectiveField = label(cat(bits[format.width - 2, format.fractionBits + 1],
                                        bits[format.fractionBits] || fieldZero), "effective_field")

    private func label(_ value: Signal, _ field: String) -> Signal {
        name.map { value.named("\($0)_\(field)") } ?? value
    }
}

extension FloatFormat {
    /// The canonical NaN as a constant signal.
    var canonicalNaNSignal: Signal {
        Const(BitVector(words: [canonicalNaN ?? 0], width: width))
    }

    /// `+-infinity` with the sign taken from a signal.
    func infinitySignal(sign: Signal) -> Signal {
        cat(sign, Const(BitVector(words: [maxExponentField], width: exponentBits)),
            Const(0, width: fractionBits))
    }

    /// `+-0` with the sign taken from a signal.
    func zeroSignal(sign: Signal) -> Signal {
        cat(sign, Const(0, width: width - 1))
    }
}
