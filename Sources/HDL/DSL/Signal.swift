/// A value in a module being built: a port, wire, register, or the result of an operator.
///
/// Signals are handles into the module under construction; operators on them append expression
/// nodes to that module. A signal that names a declaration (port, wire, register) can be the
/// target of an assignment (`y <== a + b`).
///
/// `Signal` is deliberately not `Equatable`: `==` between signals builds a comparison.
public struct Signal: Sendable {
    let context: ElaborationContext
    /// The expression node that computes this value.
    public let id: ExprID
    /// Width and signedness.
    public let type: HWType
    /// The declaration this signal names, when it is a port, wire or register.
    public let declaration: SignalID?

    init(context: ElaborationContext, id: ExprID, type: HWType, declaration: SignalID?) {
        self.context = context
        self.id = id
        self.type = type
        self.declaration = declaration
    }

    /// Width in bits.
    public var width: Int { type.width }
    /// Whether the value is two's-complement signed.
    public var isSigned: Bool { type.isSigned }
}

/// A constant of `type`; a value that does not fit is a diagnostic.
public func Const(_ value: Int, _ type: HWType) -> Signal {
    ElaborationContext.active.constant(value, type)
}

/// A constant of `width` unsigned bits; a value that does not fit is a diagnostic.
public func Const(_ value: Int, width: Int) -> Signal {
    ElaborationContext.active.constant(value, .uint(width))
}

/// A constant with the given bit pattern (any width), unsigned unless `signed`.
public func Const(_ bits: BitVector, signed: Bool = false) -> Signal {
    ElaborationContext.active.constant(bits, signed: signed)
}

extension ElaborationContext {
    /// A constant node, or a poisoned node when `value` does not fit `type`.
    func constant(_ value: Int, _ type: HWType) -> Signal {
        guard type.width >= 1 else { return invalid("invalid width \(type.width) for a constant") }
        guard BitVector.fits(value, width: type.width, signed: type.isSigned) else {
            return invalid("constant \(value) does not fit in \(type)", type: type)
        }
        return add(.constant(BitVector(value, width: type.width)), type)
    }

    func constant(_ bits: BitVector, signed: Bool) -> Signal {
        guard bits.width >= 1 else { return invalid("invalid width 0 for a constant") }
        return add(.constant(bits), HWType(width: bits.width, isSigned: signed))
    }
}
