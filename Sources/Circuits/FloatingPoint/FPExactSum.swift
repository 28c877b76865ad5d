import Golden
import HDL

// The hardware form of `Golden.LongAccumulator`: finite values as two's-complement integers over
// their format's whole range (bit 0 the smallest subnormal), summed exactly with integer adders,
// and the exact sum split into `hi = RN(sum)`, `lo = RN(sum - hi)` in a floating-point format.
extension FloatUnits {
    /// A finite `a` as a `width`-bit two's-complement integer in units of the smallest subnormal:
    /// the significand shifted left by `max(field, 1) - 1`. Infinities and NaNs give some value
    /// (the caller flags them).
    func toFixed(_ a: Signal, width: Int) -> Signal {
        let x = FPOperand(a, format, name: "a")
        let shift = (x.effectiveField &- 1).named("fixed_shift")
        let magnitude = (x.significand.zext(to: width) &<< shift).named("fixed_magnitude")
        return mux(x.sign, 0 &- magnitude, magnitude)
    }

    /// `FPToFixed_<tag>_w<width>`: `y = toFixed(a)`, combinational.
    public func toFixedUnit(width: Int) -> Module {
        Module("FPToFixed_\(tag)_w\(width)") {
            let a = Input("a", .bits(self.width))
            let y = Output("y", .bits(width))
            y <== toFixed(a, width: width)
        }
    }

    /// Bits of the remainder `sum - hi` after normalization: those below `hi`'s significand.
    func exactRemainderWidth(sumWidth: Int) -> Int { sumWidth - 1 - format.precision }

    /// `FPExactHigh_<tag>_w<sumWidth>_l<-lsbExponent>`: of the two's-complement sum `a` (bit 0
    /// weighing `2^lsbExponent`), `y = hi = RN(a)` in this format (`+0` for zero) and the exact
    /// remainder `a - hi` as `lo_sign`, `lo_mag` (the bits below `hi`'s significand after
    /// normalizing `|a|` by `lz`, negated when `hi` rounded up) and `lz`, for `exactLowUnit`.
    ///
    /// - Precondition: every nonzero `|a|` is a normal number of this format.
    public func exactHighUnit(sumWidth: Int, lsbExponent: Int) -> Module {
        let remainderWidth = exactRemainderWidth(sumWidth: sumWidth)
        return Module("FPExactHigh_\(tag)_w\(sumWidth)_l\(-lsbExponent)") {
            let a = Input("a", .bits(sumWidth))
            let y = Output("y", .bits(width))
            let loSign = Output("lo_sign", .bool)
            let loMagnitude = Output("lo_mag", .bits(remainderWidth))
            let lzOut = Output("lz", .bits(bitsFor(sumWidth - 1)))
            // |a| fits in sumWidth - 1 bits: the sum of finite values never reaches -2^(sumWidth-1).
            let sign = a[sumWidth - 1].named("sign")
            let magnitude = mux(sign, 0 &- a, a)[sumWidth - 2, 0].named("magnitude")
            let top = bias(plus: lsbExponent + sumWidth - 2)
            let hi = roundPack(sign: sign, significand: magnitude, biasedTop: Const(top, width: bitsFor(top) + 1).asSigned())
            y <== mux(magnitude.orReduce(), hi, format.zeroSignal(sign: Const(0, width: 1)))
            // hi's rounding, redone on the normalized magnitude to find what it left out.
            let lz = leadingZeros(magnitude, name: "norm_lz").named("norm_lz")
            // The normalized magnitude's bits from hi's last significand bit down.
            let tail = (magnitude &<< lz)[remainderWidth, 0].named("normalized_tail")
            let low = tail[remainderWidth - 1, 0].named("low")
            let roundUp = (low[remainderWidth - 1] && (low[remainderWidth - 2, 0].orReduce() || tail[remainderWidth]))
                .named("rounded_up")
            loSign <== sign ^ roundUp
            loMagnitude <== mux(roundUp, 0 &- low, low)
            lzOut <== lz.zext(to: bitsFor(sumWidth - 1))
        }
    }

    /// `FPExactLow_<tag>_w<sumWidth>_l<-lsbExponent>`: `y = lo = RN(sum - hi)` from
    /// `exactHighUnit`'s `sign`, `mag` and `lz` (`+0` when the sum was exact in this format).
    public func exactLowUnit(sumWidth: Int, lsbExponent: Int) -> Module {
        let remainderWidth = exactRemainderWidth(sumWidth: sumWidth)
        let lzWidth = bitsFor(sumWidth - 1)
        return Module("FPExactLow_\(tag)_w\(sumWidth)_l\(-lsbExponent)") {
            let sign = Input("sign", .bool)
            let magnitude = Input("mag", .bits(remainderWidth))
            let lz = Input("lz", .bits(lzWidth))
            let y = Output("y", .bits(width))
            // lo_mag's bit 0 weighs 2^(lsbExponent - lz).
            let top = bias(plus: lsbExponent + remainderWidth - 1)
            let topWidth = max(bitsFor(top), lzWidth) + 2
            let biasedTop = (Const(top, width: topWidth).asSigned() &- lz.zext(to: topWidth).asSigned()).named("lo_top")
            let lo = roundPack(sign: sign, significand: magnitude, biasedTop: biasedTop)
            y <== mux(magnitude.orReduce(), lo, format.zeroSignal(sign: Const(0, width: 1)))
        }
    }

    /// The biased exponent field of `2^exponent`.
    private func bias(plus exponent: Int) -> Int { format.bias + exponent }
}
