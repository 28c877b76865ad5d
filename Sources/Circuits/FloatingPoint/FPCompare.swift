import Golden
import HDL

/// The outcome of comparing two encodings (exactly one bit is 1): IEEE 754 order, NaN
/// unordered with everything, `-0 == +0` (`FloatFormat.compare`).
public struct FPComparison: Sendable {
    public let less: Signal
    public let equal: Signal
    public let greater: Signal
    public let unordered: Signal
}

/// The IEEE 754 class of an encoding as 1-bit flags (`FloatFormat.classify`; exactly one of
/// the first five is 1).
public struct FPClassification: Sendable {
    public let isNaN: Signal
    public let isInfinite: Signal
    public let isZero: Signal
    public let isSubnormal: Signal
    public let isNormal: Signal
    /// The sign bit (also for zeros and NaNs).
    public let sign: Signal
    /// Quiet NaN: a NaN whose top fraction bit is set.
    public let isQuietNaN: Signal
}

extension FloatUnits {
    /// Compares `a` with `b`: `FloatFormat.compare`. Sign-magnitude order without subtraction:
    /// one magnitude comparator, the signs pick the direction.
    public func compare(_ a: Signal, _ b: Signal) -> FPComparison {
        let x = FPOperand(a, format, name: "a"), y = FPOperand(b, format, name: "b")
        let magnitudeA = a[width - 2, 0], magnitudeB = b[width - 2, 0]
        let unordered = x.isNaN || y.isNaN
        let equalKeys = a == b || (x.isZero && y.isZero)
        let magnitudeLess = magnitudeA < magnitudeB, magnitudeGreater = magnitudeA > magnitudeB
        // Negative a: below any positive b, below a negative b of smaller magnitude.
        let lessKeys = mux(x.sign, mux(y.sign, magnitudeGreater, Const(1, width: 1)),
                           mux(y.sign, Const(0, width: 1), magnitudeLess))
        let ordered = !unordered
        let less = ordered && !equalKeys && lessKeys
        let equal = ordered && equalKeys
        return FPComparison(less: less, equal: equal, greater: ordered && !equalKeys && !lessKeys,
                            unordered: unordered)
    }

    /// IEEE 754-2019 `maximum`: NaN if either operand is NaN, +0 above -0 (`FloatFormat.maximum`).
    public func maximum(_ a: Signal, _ b: Signal, pipeline: FPPipeline = .combinational) -> Signal {
        let order = compare(a, b)
        let pickA = mux(order.equal, !a[width - 1], order.greater)
        return pipeline.output(mux(order.unordered, format.canonicalNaNSignal, mux(pickA, a, b)))
    }

    /// IEEE 754-2019 `minimum`: NaN if either operand is NaN, -0 below +0 (`FloatFormat.minimum`).
    public func minimum(_ a: Signal, _ b: Signal, pipeline: FPPipeline = .combinational) -> Signal {
        let order = compare(a, b)
        let pickA = mux(order.equal, a[width - 1], order.less)
        return pipeline.output(mux(order.unordered, format.canonicalNaNSignal, mux(pickA, a, b)))
    }

    /// The class of `a` (`FloatFormat.classify`).
    public func classify(_ a: Signal) -> FPClassification {
        let x = FPOperand(a, format, name: nil)
        let isNormal = !(x.isZero || x.isSubnormal || x.isInfinite || x.isNaN)
        return FPClassification(isNaN: x.isNaN, isInfinite: x.isInfinite, isZero: x.isZero,
                                isSubnormal: x.isSubnormal, isNormal: isNormal, sign: x.sign,
                                isQuietNaN: x.isNaN && x.fraction[format.fractionBits - 1])
    }
}
