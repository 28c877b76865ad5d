import Golden
import HDL

// Combinational building blocks shared by the BFP converters: unpacking a float or integer lane
// into sign / exponent / normalized significand, the right shift with guard, sticky or stochastic
// bits, and packing a rounded significand back into a float encoding. Exponents are signed
// `bfpExponentWidth`-bit values throughout (every exponent the converters meet fits easily).

/// Width of the signed exponent arithmetic inside the converters.
let bfpExponentWidth = 12

/// A signed exponent constant.
func bfpExponent(_ value: Int) -> Signal { Const(value, .sint(bfpExponentWidth)) }

/// `width` one bits.
func bfpOnes(_ width: Int) -> Signal {
    Const(BitVector(words: Array(repeating: ~0, count: (width + 63) / 64), width: width))
}

/// A lane decoded into exact terms: |value| = significand * 2^(exponent - (significand.width - 1)).
struct BFPUnpackedLane {
    let sign: Signal
    /// floor(log2 |value|), signed, for nonzero finite values.
    let exponent: Signal
    /// Normalized: the top bit is 1 for nonzero finite values.
    let significand: Signal
    let isZero: Signal
    let isNaN: Signal
    let isInfinite: Signal
    /// NaN or infinity (one signal, so IEEE formats test only the all-ones exponent).
    let isSpecial: Signal
    /// |value| is an exact power of two (the ceil rule adds 1 otherwise).
    let isPowerOfTwo: Signal
}

/// Unpacks a float encoding; subnormals are normalized (or zeros, when `flush`).
func bfpUnpackFloat(_ x: Signal, _ f: FloatFormat, flush: Bool) -> BFPUnpackedLane {
    let fb = f.fractionBits, eb = f.exponentBits
    let sign = x[f.width - 1]
    let field = x[fb + eb - 1, fb]
    let fraction = x[fb - 1, 0]
    let fieldZero = field == 0, fieldOnes = field == Int(f.maxExponentField)
    let fractionNonzero = fraction.orReduce()
    let isNaN: Signal, isInfinite: Signal, isSpecial: Signal
    switch f.specials {
    case .ieee:
        isNaN = fieldOnes & fractionNonzero
        isInfinite = fieldOnes & ~fractionNonzero
        isSpecial = fieldOnes
    case .nanOnlyAllOnes:
        isNaN = fieldOnes & fraction.andReduce()
        isInfinite = Const(0, width: 1)
        isSpecial = isNaN
    case .finiteOnly:
        isNaN = Const(0, width: 1)
        isInfinite = Const(0, width: 1)
        isSpecial = isNaN
    }
    let subnormal = flush ? Const(0, width: 1) : fieldZero & fractionNonzero
    let isZero = flush ? fieldZero : fieldZero & ~fractionNonzero
    let lz = leadingZeros(fraction)
    let normalizedSubnormal = fraction.zext(to: fb + 1) &<< (lz + 1)
    let significand = mux(subnormal, normalizedSubnormal, cat(Const(1, width: 1), fraction))
    let normalExponent = field.zext(to: bfpExponentWidth).asSigned() &- f.bias
    let subnormalExponent = bfpExponent(-f.bias) &- lz.zext(to: bfpExponentWidth).asSigned()
    return BFPUnpackedLane(sign: sign, exponent: mux(subnormal, subnormalExponent, normalExponent),
                           significand: significand, isZero: isZero, isNaN: isNaN, isInfinite: isInfinite,
                           isSpecial: isSpecial, isPowerOfTwo: ~significand[fb - 1, 0].orReduce())
}

/// Unpacks a two's-complement integer element of m magnitude bits (value int * 2^-(m-1)).
func bfpUnpackInt(_ x: Signal, magnitudeBits m: Int) -> BFPUnpackedLane {
    let sign = x[m]
    let magnitude = mux(sign, Const(0, width: m + 1) &- x, x)
    let lz = leadingZeros(magnitude)
    return BFPUnpackedLane(sign: sign, exponent: bfpExponent(1) &- lz.zext(to: bfpExponentWidth).asSigned(),
                           significand: magnitude &<< lz, isZero: magnitude == 0,
                           isNaN: Const(0, width: 1), isInfinite: Const(0, width: 1), isSpecial: Const(0, width: 1),
                           isPowerOfTwo: Const(0, width: 1))
}

/// `(significand << pre) / 2^shift` rounded to an integer of `outWidth` bits (the caller knows it
/// fits). `shift` is signed; below 0 it counts as 0, above the operand width everything is sticky.
/// Stochastic rounding adds `random` (randomBits wide) to the top discarded bits.
func bfpRoundShift(_ significand: Signal, pre: Int, shift: Signal, rounding: BFPRounding,
                   random: Signal?, randomBits: Int, outWidth: Int) -> Signal {
    let r = rounding == .stochastic ? randomBits : 1
    let w = significand.width + pre + r
    let x = significand << (pre + r)
    let aw = bitsFor(w)
    let amount = mux(shift < 0, Const(0, width: aw),
                     mux(shift > w, Const(w, width: aw), shift.truncate(to: aw).asUnsigned()))
    let y = x >> amount
    let kept = y[w - 1, r]
    let discarded = y[r - 1, 0]
    let sticky = (x & ~(bfpOnes(w) &<< amount)).orReduce()
    let increment: Signal
    switch rounding {
    case .nearestEven: increment = discarded & (sticky | kept[0])
    case .nearestAway: increment = discarded
    case .towardZero: increment = Const(0, width: 1)
    case .stochastic: increment = (discarded + random!)[r]
    }
    let narrowed = kept.width >= outWidth - 1 ? kept.truncate(to: outWidth - 1) : kept.zext(to: outWidth - 1)
    return narrowed + increment.zext(to: outWidth - 1)
}

/// The magnitude encoding of a rounded significand `n` (up to 2^(fb+1)) at exponent `exponent`
/// (floor log2 before rounding) in format `f`: ((max(exponent, emin) + bias - 1) << fb) + n, which
/// lets a rounding carry ripple into the exponent field and subnormals land on field 0. Wide
/// enough never to wrap; compare it against the largest finite magnitude for overflow.
func bfpPackMagnitude(exponent: Signal, _ n: Signal, _ f: FloatFormat) -> Signal {
    let clamped = mux(exponent < f.minExponent, bfpExponent(f.minExponent), exponent)
    let base = (clamped &+ (f.bias - 1)).asUnsigned()
    return (base << f.fractionBits) + n.zext(to: f.fractionBits + 2)
}

/// max of signed values, as a balanced tree.
func bfpMaxTree(_ xs: [Signal]) -> Signal {
    var level = xs
    while level.count > 1 {
        var next: [Signal] = []
        for i in stride(from: 0, to: level.count - 1, by: 2) {
            next.append(mux(level[i] > level[i + 1], level[i], level[i + 1]))
        }
        if level.count % 2 == 1 { next.append(level[level.count - 1]) }
        level = next
    }
    return level[0]
}

/// OR of 1-bit values.
func bfpAny(_ xs: [Signal]) -> Signal { cat(xs).orReduce() }
