import Golden
import HDL

/// The fields and classification of one encoding, as signals.
struct FPOperand {
    let sign: Signal
    /// Biased exponent field (`exponentBits` bits).
    let field: Signal
    /// Stored fraction (`fractionBits` bits).
    let fraction: Signal
    let isZero: Signal
    let isSubnormal: Signal
    let isInfinite: Signal
    let isNaN: Signal
    /// The significand with its hidden bit (`precision` bits): 0 for zeros and subnormals.
    let significand: Signal
    /// The exponent field a finite value is scaled by: `max(field, 1)`, so that
    /// `|a| = significand * 2^(effectiveField - bias - fractionBits)` for every finite `a`.
    let effectiveField: Signal

    init(_ bits: Signal, _ format: FloatFormat) {
        let f = format.fractionBits, e = format.exponentBits
        sign = bits[format.width - 1]
        field = bits[f + e - 1, f]
        fraction = bits[f - 1, 0]
        let fieldZero = !field.orReduce()
        let fieldOnes = field.andReduce()
        let fractionZero = !fraction.orReduce()
        isZero = fieldZero && fractionZero
        isSubnormal = fieldZero && !fractionZero
        isInfinite = fieldOnes && fractionZero
        isNaN = fieldOnes && !fractionZero
        significand = cat(!fieldZero, fraction)
        effectiveField = cat(field[e - 1, 1], field[0] || fieldZero)
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
