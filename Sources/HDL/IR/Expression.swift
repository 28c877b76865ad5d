/// The index of an expression node in its module's `nodes` table.
public struct ExprID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let index: Int
    public init(_ index: Int) { self.index = index }
    public static func < (a: ExprID, b: ExprID) -> Bool { a.index < b.index }
    public var description: String { "%\(index)" }
}

/// The index of a declared signal (port, wire, register, ...) in its module's `signals` table.
public struct SignalID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let index: Int
    public init(_ index: Int) { self.index = index }
    public static func < (a: SignalID, b: SignalID) -> Bool { a.index < b.index }
    public var description: String { "$\(index)" }
}

/// One-operand operators.
public enum UnaryOp: String, Sendable, Hashable {
    /// Bitwise complement, same width.
    case not
    /// AND / OR / XOR of all bits, 1-bit result.
    case andReduce, orReduce, xorReduce
}

/// Two-operand operators.
///
/// Arithmetic and shifts: both operands are extended (by their signedness) to the node's width,
/// the operation is computed and wrapped to that width, so the widening and the same-width forms
/// are one operator with different result widths. Comparisons extend both operands to the wider
/// of the two and compare signed when the operands are signed. `shiftLeft`/`shiftRight` take the
/// amount as an unsigned second operand; `shiftRight` is arithmetic on signed operands.
public enum BinaryOp: String, Sendable, Hashable {
    case add, sub, mul
    case and, or, xor
    case eq, ne, lt, le, gt, ge
    case shiftLeft, shiftRight

    /// Whether the result is a 1-bit comparison outcome.
    public var isComparison: Bool {
        switch self {
        case .eq, .ne, .lt, .le, .gt, .ge: return true
        default: return false
        }
    }
}

/// What an expression node computes. Operands always refer to earlier nodes of the same module,
/// so `nodes` is in topological order.
public enum Op: Sendable, Hashable {
    /// The current value of a declared signal.
    case signal(SignalID)
    /// A constant of the node's width.
    case constant(BitVector)
    case unary(UnaryOp, ExprID)
    case binary(BinaryOp, ExprID, ExprID)
    /// `condition ? ifTrue : ifFalse`; both arms have the node's type.
    case mux(condition: ExprID, ifTrue: ExprID, ifFalse: ExprID)
    /// Concatenation, first part most significant; result unsigned.
    case concat([ExprID])
    /// Bits `low ..< low + width` of the operand (width = node width); result unsigned.
    case slice(ExprID, low: Int)
    /// Zero-extension to the node's (larger or equal) width; keeps the operand's signedness.
    case zeroExtend(ExprID)
    /// Sign-extension (replicate the top bit) to the node's width; keeps the operand's signedness.
    case signExtend(ExprID)
    /// The low bits of the operand (node width <= operand width); keeps the operand's signedness.
    case truncate(ExprID)
    /// The same bits read with the node's signedness (`asSigned` / `asUnsigned`).
    case reinterpret(ExprID)
    /// The result of an operator that was used wrongly; it carries a diagnostic and never
    /// survives elaboration.
    case invalid
}

/// One expression node: an operator, its result type, and (only before checking) an error.
public struct Node: Sendable, Hashable {
    public var op: Op
    public var type: HWType
    /// Set when the operator was misused (width mismatch, out-of-range slice, ...); the checker
    /// reports it at the location of the first statement that uses the node.
    public var error: String?
    /// True when this node or any operand carries an error: used to report one root cause only.
    public var poisoned: Bool

    public init(op: Op, type: HWType, error: String? = nil, poisoned: Bool = false) {
        self.op = op
        self.type = type
        self.error = error
        if case .invalid = op { self.poisoned = true } else { self.poisoned = poisoned || error != nil }
    }

    /// The operand nodes, in order.
    public var operands: [ExprID] {
        switch op {
        case .signal, .constant, .invalid: return []
        case .unary(_, let a), .slice(let a, _), .zeroExtend(let a), .signExtend(let a),
             .truncate(let a), .reinterpret(let a): return [a]
        case .binary(_, let a, let b): return [a, b]
        case .mux(let c, let t, let f): return [c, t, f]
        case .concat(let parts): return parts
        }
    }
}
