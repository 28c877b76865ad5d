import HDL

/// An FP32 operand as the Newton units' seed stages read it: its class and floor(log2|v|),
/// the exponent the seed is wired from.
struct NewtonSeedOperand {
    let sign: Signal
    let isNaN: Signal, isInfinite: Signal, isZero: Signal
    /// floor(log2|v|) as an 11-bit signed value: field - 127, or -127 - (leading zeros of the
    /// fraction) for subnormals.
    let exponent: Signal
    /// The exponent's width.
    static let exponentWidth = 11

    init(_ v: Signal) {
        let field = v[30, 23], fraction = v[22, 0]
        let ew = Self.exponentWidth
        sign = v[31]
        isNaN = (field == 255) & fraction.orReduce()
        isInfinite = (field == 255) & ~fraction.orReduce()
        isZero = (field == 0) & ~fraction.orReduce()
        exponent = mux(field == 0,
                       Const(-127, .sint(ew)) &- leadingZeros(fraction).zext(to: ew).asSigned(),
                       field.zext(to: ew).asSigned() &- 127)
    }
}
