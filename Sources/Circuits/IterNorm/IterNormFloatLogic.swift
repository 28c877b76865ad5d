import Golden
import HDL

// Combinational floating-point logic for the IterNorm macro: add, multiply, scale by 2^k and
// format conversion, round-to-nearest-even with subnormals, matching Golden's soft-float bit for
// bit (every NaN result is the canonical NaN). These are the smallest set the macro needs while
// the shared FP-unit library (Sources/Circuits/FloatingPoint) is being written; each op is
// wrapped in its own module by IterNormFloatUnits so the emitted Verilog stays small.

/// A decoded operand: sign, unbiased exponent of the leading one, significand normalized so that
/// its top bit is the leading one (all zero for a zero), and the special-value flags.
struct UnpackedFloat {
    let sign: Signal
    /// Signed, `expWidth` bits.
    let exponent: Signal
    /// `format.precision` bits.
    let significand: Signal
    let isZero: Signal
    let isInfinite: Signal
    let isNaN: Signal
}

/// All-ones constant of `width` bits.
func allOnes(_ width: Int) -> Signal {
    var words = [UInt64](repeating: ~0, count: (width + 63) / 64)
    if width % 64 != 0 { words[words.count - 1] = (UInt64(1) << UInt64(width % 64)) - 1 }
    return Const(BitVector(words: words, width: width))
}

/// A constant encoding of `width` bits.
func encodingConst(_ bits: UInt64, width: Int) -> Signal {
    Const(BitVector(words: [bits], width: width))
}

/// A signed constant of `width` bits.
func signedConst(_ value: Int, width: Int) -> Signal { Const(value, .sint(width)) }

/// Decodes `x` (an encoding of `f`), normalizing subnormals.
func unpack(_ x: Signal, _ f: FloatFormat, expWidth: Int) -> UnpackedFloat {
    let e = f.exponentBits, m = f.fractionBits
    let field = x[m + e - 1, m]
    let fraction = x[m - 1, 0]
    let fieldZero = field == 0
    let fieldMax = field == allOnes(e)
    let fractionZero = fraction == 0
    let raw = cat(!fieldZero, fraction)
    let lz = leadingZeros(raw)
    let significand = raw &<< lz
    let adjusted = mux(fieldZero, Const(1, width: e), field)
    let exponent = adjusted.zext(to: expWidth).asSigned() &- signedConst(f.bias, width: expWidth)
        &- lz.zext(to: expWidth).asSigned()
    return UnpackedFloat(sign: x[e + m], exponent: exponent, significand: significand,
                         isZero: fieldZero && fractionZero, isInfinite: fieldMax && fractionZero,
                         isNaN: fieldMax && !fractionZero)
}

/// Rounds `significand * 2^(exponent - (width - 1))` (top bit = leading one, or all zero) to
/// `f` with round-to-nearest-even, subnormals and overflow to infinity. `sticky` ORs in bits
/// already dropped below the significand.
func roundPack(sign: Signal, exponent: Signal, significand: Signal, sticky: Signal? = nil,
               _ f: FloatFormat) -> Signal {
    let p = f.precision, e = f.exponentBits, m = f.fractionBits
    var sig = significand
    if sig.width < p + 2 { sig = cat(sig, Const(0, width: p + 2 - sig.width)) }
    let n = sig.width
    let ew = exponent.width + 2
    let biased = exponent.sext(to: ew) &+ signedConst(f.bias, width: ew)
    let isNormal = biased >= signedConst(1, width: ew)
    // Subnormal results: shift right by 1 - biased (at most n: everything becomes sticky).
    let shiftWidth = Int.bitWidth - n.leadingZeroBitCount
    let rawShift = signedConst(1, width: ew) &- biased
    let clamped = mux(rawShift > signedConst(n, width: ew), signedConst(n, width: ew), rawShift)
    let shift = mux(isNormal, Const(0, width: shiftWidth), clamped.asUnsigned().truncate(to: shiftWidth))
    let shifted = sig >> shift
    let lost = (sig & ~(allOnes(n) &<< shift)).orReduce()
    let mantissa = shifted[n - 1, n - p]
    let roundBit = shifted[n - p - 1]
    var stickyBit = lost
    if n - p - 2 >= 0 { stickyBit = stickyBit || shifted[n - p - 2, 0].orReduce() }
    if let sticky { stickyBit = stickyBit || sticky }
    let increment = roundBit && (stickyBit || mantissa[0])
    // Packing exponent - 1 above a mantissa that carries its hidden bit lets the rounding carry
    // ripple into the exponent (mantissa overflow, subnormal to normal).
    let maxField = (1 << e) - 1
    let overflowBefore = biased >= signedConst(maxField, width: ew)
    let fieldBase = mux(isNormal, (biased &- signedConst(1, width: ew)).asUnsigned().truncate(to: e + 1),
                        Const(0, width: e + 1))
    let packedWidth = e + m + 2
    let packed = (fieldBase.zext(to: packedWidth) &<< m) &+ mantissa.zext(to: packedWidth)
        &+ increment.zext(to: packedWidth)
    let overflowAfter = packed[e + m, m] >= Const(maxField, width: e + 1)
    let infinity = cat(sign, allOnes(e), Const(0, width: m))
    let zero = cat(sign, Const(0, width: e + m))
    let finite = cat(sign, packed[e + m - 1, 0])
    return mux(significand == 0, zero, mux(overflowBefore || overflowAfter, infinity, finite))
}

/// `a + b` in `f`.
func floatAdd(_ a: Signal, _ b: Signal, _ f: FloatFormat) -> Signal {
    let w = f.width, p = f.precision, ew = f.exponentBits + 4
    let swap = b[w - 2, 0] > a[w - 2, 0]
    let big = unpack(mux(swap, b, a), f, expWidth: ew)
    let small = unpack(mux(swap, a, b), f, expWidth: ew)
    let n = p + 3
    let distance = big.exponent &- small.exponent
    let distanceWidth = Int.bitWidth - (n + 1).leadingZeroBitCount
    let clamped = mux(distance > signedConst(n, width: ew), signedConst(n, width: ew), distance)
        .asUnsigned().truncate(to: distanceWidth)
    let smallExt = cat(small.significand, Const(0, width: 3))
    let lost = (smallExt & ~(allOnes(n) &<< clamped)).orReduce()
    let aligned = (smallExt >> clamped) | lost.zext(to: n)
    let bigExt = cat(big.significand, Const(0, width: 3)).zext(to: n + 1)
    let subtract = big.sign != small.sign
    let sum = mux(subtract, bigExt &- aligned.zext(to: n + 1), bigExt &+ aligned.zext(to: n + 1))
    let lz = leadingZeros(sum)
    let normalized = sum &<< lz
    let exponent = big.exponent &+ signedConst(1, width: ew) &- lz.zext(to: ew).asSigned()
    let zeroSign = big.sign && small.sign
    let sign = mux(sum == 0, zeroSign, big.sign)
    let rounded = roundPack(sign: sign, exponent: exponent, significand: normalized, f)
    let nan = big.isNaN || small.isNaN || (big.isInfinite && small.isInfinite && subtract)
    let bigBits = mux(swap, b, a)
    return mux(nan, encodingConst(f.canonicalNaN ?? 0, width: w), mux(big.isInfinite, bigBits, rounded))
}

/// `a * b` in `f`.
func floatMul(_ a: Signal, _ b: Signal, _ f: FloatFormat) -> Signal {
    let w = f.width, p = f.precision, ew = f.exponentBits + 4
    let x = unpack(a, f, expWidth: ew), y = unpack(b, f, expWidth: ew)
    let sign = x.sign != y.sign
    let product = x.significand * y.significand
    let top = product[2 * p - 1]
    let normalized = mux(top, product, product &<< 1)
    let exponent = x.exponent &+ y.exponent &+ top.zext(to: ew).asSigned()
    let rounded = roundPack(sign: sign, exponent: exponent, significand: normalized, f)
    let nan = x.isNaN || y.isNaN || (x.isInfinite && y.isZero) || (y.isInfinite && x.isZero)
    let infinity = cat(sign, allOnes(f.exponentBits), Const(0, width: f.fractionBits))
    return mux(nan, encodingConst(f.canonicalNaN ?? 0, width: w),
               mux(x.isInfinite || y.isInfinite, infinity, rounded))
}

/// `a` (in `from`) times `2^k` (`k` signed, or 0 when nil), rounded once to `to`: a format
/// conversion, a scaling, or both fused (the same single rounding as soft-float's
/// `to.scaleB(from.convert(a, to: to), k)` whenever the conversion alone is exact).
func floatScaleConvert(_ a: Signal, by k: Signal?, from: FloatFormat, to: FloatFormat) -> Signal {
    let ew = max(max(from.exponentBits, to.exponentBits) + 4, (k?.width ?? 0) + 2)
    let x = unpack(a, from, expWidth: ew)
    let exponent = k.map { x.exponent &+ $0.sext(to: ew) } ?? x.exponent
    let rounded = roundPack(sign: x.sign, exponent: exponent, significand: x.significand, to)
    let infinity = cat(x.sign, allOnes(to.exponentBits), Const(0, width: to.fractionBits))
    let zero = cat(x.sign, Const(0, width: to.width - 1))
    return mux(x.isNaN, encodingConst(to.canonicalNaN ?? 0, width: to.width),
               mux(x.isInfinite, infinity, mux(x.isZero, zero, rounded)))
}

/// floor(log2 |a|) of a finite nonzero `a` (subnormals normalized), as a signed value.
func floatExponent(_ a: Signal, _ f: FloatFormat, width: Int) -> Signal {
    unpack(a, f, expWidth: width).exponent
}
