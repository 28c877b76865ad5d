// Operators on signals. Width rules: `+ - *` widen (max(wa, wb) + 1 for add/sub, wa + wb for
// mul); the wrapping forms `&+ &- &*` keep the width and need equal-width operands. Bitwise
// operators need equal types. Signed and unsigned never mix. Integer literals take the type of
// the other operand. A misuse returns a poisoned signal carrying the diagnostic; the checker
// reports it at the line of the statement that uses it.

extension Signal {
    /// Combines two operands of one module, or a poisoned result when they come from two.
    fileprivate static func binary(_ op: BinaryOp, _ a: Signal, _ b: Signal, symbol: String,
                                   result: (HWType, HWType) -> Result<HWType, OperatorMisuse>) -> Signal {
        guard a.context === b.context else {
            return a.context.invalid("'\(symbol)' combines signals of two different modules")
        }
        switch result(a.type, b.type) {
        case .success(let type): return a.context.add(.binary(op, a.id, b.id), type)
        case .failure(let misuse): return a.context.invalid(misuse.message, type: a.type)
        }
    }

    fileprivate func literal(_ value: Int) -> Signal { context.constant(value, type) }
}

/// Why an operator cannot be applied (becomes the diagnostic text).
struct OperatorMisuse: Error {
    let message: String
}

private func sameSign(_ symbol: String, _ a: HWType, _ b: HWType) -> OperatorMisuse? {
    a.isSigned == b.isSigned ? nil
        : OperatorMisuse(message: "signedness mismatch: '\(symbol)' mixes signed and unsigned operands")
}

private func widening(_ symbol: String, width: @escaping (Int, Int) -> Int)
    -> (HWType, HWType) -> Result<HWType, OperatorMisuse> {
    { a, b in
        if let misuse = sameSign(symbol, a, b) { return .failure(misuse) }
        return .success(HWType(width: width(a.width, b.width), isSigned: a.isSigned))
    }
}

private func sameWidth(_ symbol: String) -> (HWType, HWType) -> Result<HWType, OperatorMisuse> {
    { a, b in
        if let misuse = sameSign(symbol, a, b) { return .failure(misuse) }
        guard a.width == b.width else {
            return .failure(OperatorMisuse(message:
                "width mismatch: '\(symbol)' needs operands of equal width, got \(a.width) and \(b.width) bits"))
        }
        return .success(a)
    }
}

private func comparison(_ symbol: String) -> (HWType, HWType) -> Result<HWType, OperatorMisuse> {
    { a, b in
        if let misuse = sameSign(symbol, a, b) { return .failure(misuse) }
        return .success(.bool)
    }
}

// MARK: Arithmetic

extension Signal {
    /// Widening add: max(wa, wb) + 1 bits, never overflows.
    public static func + (a: Signal, b: Signal) -> Signal {
        binary(.add, a, b, symbol: "+", result: widening("+") { max($0, $1) + 1 })
    }
    /// Widening subtract: max(wa, wb) + 1 bits (unsigned results wrap modulo 2^width).
    public static func - (a: Signal, b: Signal) -> Signal {
        binary(.sub, a, b, symbol: "-", result: widening("-") { max($0, $1) + 1 })
    }
    /// Widening multiply: wa + wb bits, exact.
    public static func * (a: Signal, b: Signal) -> Signal {
        binary(.mul, a, b, symbol: "*", result: widening("*") { $0 + $1 })
    }
    /// Same-width add, wraps.
    public static func &+ (a: Signal, b: Signal) -> Signal { binary(.add, a, b, symbol: "&+", result: sameWidth("&+")) }
    /// Same-width subtract, wraps.
    public static func &- (a: Signal, b: Signal) -> Signal { binary(.sub, a, b, symbol: "&-", result: sameWidth("&-")) }
    /// Same-width multiply: the low bits of the product.
    public static func &* (a: Signal, b: Signal) -> Signal { binary(.mul, a, b, symbol: "&*", result: sameWidth("&*")) }

    public static func + (a: Signal, b: Int) -> Signal { a + a.literal(b) }
    public static func - (a: Signal, b: Int) -> Signal { a - a.literal(b) }
    public static func * (a: Signal, b: Int) -> Signal { a * a.literal(b) }
    public static func &+ (a: Signal, b: Int) -> Signal { a &+ a.literal(b) }
    public static func &- (a: Signal, b: Int) -> Signal { a &- a.literal(b) }
    public static func &* (a: Signal, b: Int) -> Signal { a &* a.literal(b) }
    public static func + (a: Int, b: Signal) -> Signal { b.literal(a) + b }
    public static func - (a: Int, b: Signal) -> Signal { b.literal(a) - b }
    public static func &- (a: Int, b: Signal) -> Signal { b.literal(a) &- b }
}

// MARK: Bitwise and Boolean

extension Signal {
    public static func & (a: Signal, b: Signal) -> Signal { binary(.and, a, b, symbol: "&", result: sameWidth("&")) }
    public static func | (a: Signal, b: Signal) -> Signal { binary(.or, a, b, symbol: "|", result: sameWidth("|")) }
    public static func ^ (a: Signal, b: Signal) -> Signal { binary(.xor, a, b, symbol: "^", result: sameWidth("^")) }
    public static func & (a: Signal, b: Int) -> Signal { a & a.literal(b) }
    public static func | (a: Signal, b: Int) -> Signal { a | a.literal(b) }
    public static func ^ (a: Signal, b: Int) -> Signal { a ^ a.literal(b) }

    /// Bitwise complement.
    public static prefix func ~ (a: Signal) -> Signal { a.context.add(.unary(.not, a.id), a.type) }

    /// Logical not of a 1-bit value.
    public static prefix func ! (a: Signal) -> Signal {
        guard a.width == 1 else { return a.context.invalid("width mismatch: '!' needs a 1-bit operand, got \(a.width) bits") }
        return ~a
    }
    /// Logical and of 1-bit values.
    public static func && (a: Signal, b: Signal) -> Signal { boolean(.and, a, b, symbol: "&&") }
    /// Logical or of 1-bit values.
    public static func || (a: Signal, b: Signal) -> Signal { boolean(.or, a, b, symbol: "||") }

    private static func boolean(_ op: BinaryOp, _ a: Signal, _ b: Signal, symbol: String) -> Signal {
        binary(op, a, b, symbol: symbol) { x, y in
            guard x.width == 1, y.width == 1 else {
                return .failure(OperatorMisuse(message:
                    "width mismatch: '\(symbol)' needs 1-bit operands, got \(x.width) and \(y.width) bits"))
            }
            return .success(.bool)
        }
    }
}

// MARK: Comparisons (signed when both operands are signed)

extension Signal {
    public static func == (a: Signal, b: Signal) -> Signal { binary(.eq, a, b, symbol: "==", result: comparison("==")) }
    public static func != (a: Signal, b: Signal) -> Signal { binary(.ne, a, b, symbol: "!=", result: comparison("!=")) }
    public static func < (a: Signal, b: Signal) -> Signal { binary(.lt, a, b, symbol: "<", result: comparison("<")) }
    public static func <= (a: Signal, b: Signal) -> Signal { binary(.le, a, b, symbol: "<=", result: comparison("<=")) }
    public static func > (a: Signal, b: Signal) -> Signal { binary(.gt, a, b, symbol: ">", result: comparison(">")) }
    public static func >= (a: Signal, b: Signal) -> Signal { binary(.ge, a, b, symbol: ">=", result: comparison(">=")) }
    public static func == (a: Signal, b: Int) -> Signal { a == a.literal(b) }
    public static func != (a: Signal, b: Int) -> Signal { a != a.literal(b) }
    public static func < (a: Signal, b: Int) -> Signal { a < a.literal(b) }
    public static func <= (a: Signal, b: Int) -> Signal { a <= a.literal(b) }
    public static func > (a: Signal, b: Int) -> Signal { a > a.literal(b) }
    public static func >= (a: Signal, b: Int) -> Signal { a >= a.literal(b) }
}

// MARK: Shifts

extension Signal {
    /// Static left shift that widens by `amount` bits (no bit is lost).
    public static func << (a: Signal, amount: Int) -> Signal {
        a.staticShift(.shiftLeft, amount, symbol: "<<", width: a.width + max(amount, 0))
    }
    /// Static left shift keeping the width (the top `amount` bits are dropped).
    public static func &<< (a: Signal, amount: Int) -> Signal {
        a.staticShift(.shiftLeft, amount, symbol: "&<<", width: a.width)
    }
    /// Static right shift keeping the width: logical when unsigned, arithmetic when signed.
    public static func >> (a: Signal, amount: Int) -> Signal {
        a.staticShift(.shiftRight, amount, symbol: ">>", width: a.width)
    }
    /// Dynamic left shift keeping the width; `amount` is unsigned.
    public static func &<< (a: Signal, amount: Signal) -> Signal { a.dynamicShift(.shiftLeft, amount, symbol: "&<<") }
    /// Dynamic right shift keeping the width (arithmetic when `a` is signed); `amount` is unsigned.
    public static func >> (a: Signal, amount: Signal) -> Signal { a.dynamicShift(.shiftRight, amount, symbol: ">>") }

    private func staticShift(_ op: BinaryOp, _ amount: Int, symbol: String, width: Int) -> Signal {
        guard amount >= 0 else { return context.invalid("negative shift amount \(amount) in '\(symbol)'", type: type) }
        let amountWidth = bitsFor(amount)
        let constant = context.constant(amount, .uint(amountWidth))
        return context.add(.binary(op, id, constant.id), HWType(width: width, isSigned: isSigned))
    }

    private func dynamicShift(_ op: BinaryOp, _ amount: Signal, symbol: String) -> Signal {
        Signal.binary(op, self, amount, symbol: symbol) { a, s in
            s.isSigned ? .failure(OperatorMisuse(message: "'\(symbol)' needs an unsigned shift amount")) : .success(a)
        }
    }
}

// MARK: Slices, extension, reinterpretation, reductions

extension Signal {
    /// Bits `hi` down to `lo` (inclusive), unsigned; out of range is a diagnostic.
    public subscript(hi: Int, lo: Int) -> Signal {
        guard lo >= 0, hi >= lo, hi < width else {
            return context.invalid("out-of-range slice [\(hi):\(lo)] of a \(width)-bit value", type: .uint(max(hi - lo + 1, 1)))
        }
        if lo == 0, hi == width - 1, !isSigned { return self }
        return context.add(.slice(id, low: lo), .uint(hi - lo + 1))
    }

    /// Bit `index` as a 1-bit value; out of range is a diagnostic.
    public subscript(index: Int) -> Signal {
        guard index >= 0, index < width else {
            return context.invalid("out-of-range bit [\(index)] of a \(width)-bit value")
        }
        return context.add(.slice(id, low: index), .bool)
    }

    /// Lane `index` of a flat bus of `width`-bit lanes (lane 0 in the low bits).
    public func lane(_ index: Int, width laneWidth: Int) -> Signal {
        self[(index + 1) * laneWidth - 1, index * laneWidth]
    }

    /// Zero-extends to `newWidth` (>= width); keeps signedness.
    public func zext(to newWidth: Int) -> Signal { extend(to: newWidth, Op.zeroExtend, name: "zext") }
    /// Sign-extends (replicates the top bit) to `newWidth` (>= width); keeps signedness.
    public func sext(to newWidth: Int) -> Signal { extend(to: newWidth, Op.signExtend, name: "sext") }

    private func extend(to newWidth: Int, _ op: (ExprID) -> Op, name: String) -> Signal {
        guard newWidth >= width else {
            return context.invalid("\(name)(to: \(newWidth)) would narrow a \(width)-bit value; use truncate(to:)", type: type)
        }
        if newWidth == width { return self }
        return context.add(op(id), HWType(width: newWidth, isSigned: isSigned))
    }

    /// The low `newWidth` bits (1 ... width); keeps signedness. The only way to drop high bits.
    public func truncate(to newWidth: Int) -> Signal {
        guard newWidth >= 1, newWidth <= width else {
            return context.invalid("truncate(to: \(newWidth)) is out of range for a \(width)-bit value", type: type)
        }
        if newWidth == width { return self }
        return context.add(.truncate(id), HWType(width: newWidth, isSigned: isSigned))
    }

    /// The same bits read as two's-complement signed.
    public func asSigned() -> Signal { isSigned ? self : context.add(.reinterpret(id), .sint(width)) }
    /// The same bits read as unsigned.
    public func asUnsigned() -> Signal { isSigned ? context.add(.reinterpret(id), .uint(width)) : self }

    /// 1 when any bit is 1.
    public func orReduce() -> Signal { context.add(.unary(.orReduce, id), .bool) }
    /// 1 when every bit is 1.
    public func andReduce() -> Signal { context.add(.unary(.andReduce, id), .bool) }
    /// The parity of the bits.
    public func xorReduce() -> Signal { context.add(.unary(.xorReduce, id), .bool) }
}

// MARK: Mux and concatenation

/// `condition ? ifTrue : ifFalse`; the condition is 1 bit and both arms have one type.
public func mux(_ condition: Signal, _ ifTrue: Signal, _ ifFalse: Signal) -> Signal {
    let ctx = condition.context
    guard ifTrue.context === ctx, ifFalse.context === ctx else {
        return ctx.invalid("'mux' combines signals of two different modules")
    }
    guard condition.width == 1 else {
        return ctx.invalid("width mismatch: 'mux' condition must be 1 bit, got \(condition.width) bits", type: ifTrue.type)
    }
    guard ifTrue.type == ifFalse.type else {
        return ctx.invalid("width mismatch: 'mux' arms must have one type, got \(ifTrue.type) and \(ifFalse.type)", type: ifTrue.type)
    }
    return ctx.add(.mux(condition: condition.id, ifTrue: ifTrue.id, ifFalse: ifFalse.id), ifTrue.type)
}

/// `mux` with a constant (of the other arm's type) in the false arm.
public func mux(_ condition: Signal, _ ifTrue: Signal, _ ifFalse: Int) -> Signal {
    mux(condition, ifTrue, ifTrue.context.constant(ifFalse, ifTrue.type))
}

/// `mux` with a constant (of the other arm's type) in the true arm.
public func mux(_ condition: Signal, _ ifTrue: Int, _ ifFalse: Signal) -> Signal {
    mux(condition, ifFalse.context.constant(ifTrue, ifFalse.type), ifFalse)
}

/// Concatenation, first part most significant; the result is unsigned.
public func cat(_ parts: Signal...) -> Signal { cat(parts) }

/// Concatenation, first part most significant; the result is unsigned.
public func cat(_ parts: [Signal]) -> Signal {
    guard let first = parts.first else {
        return ElaborationContext.active.invalid("'cat' needs at least one part")
    }
    guard parts.allSatisfy({ $0.context === first.context }) else {
        return first.context.invalid("'cat' combines signals of two different modules")
    }
    if parts.count == 1, !first.isSigned { return first }
    return first.context.add(.concat(parts.map(\.id)), .uint(parts.reduce(0) { $0 + $1.width }))
}

/// A flat bus from lanes of equal width, lane 0 in the low bits (the inverse of `lane(_:width:)`).
public func packLanes(_ lanes: [Signal]) -> Signal { cat(lanes.reversed()) }
