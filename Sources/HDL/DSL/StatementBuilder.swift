infix operator <== : AssignmentPrecedence

/// `target <== value`: one assignment, turned into a statement by `StatementBuilder` (which
/// records the line it is written on).
public struct Assignment: Sendable {
    public let target: Signal
    public let value: Signal
}

/// Assigns `value` to a port, wire or register (its next value for a register). The types must
/// match exactly: a width mismatch is a diagnostic, never a silent truncation.
public func <== (target: Signal, value: Signal) -> Assignment { Assignment(target: target, value: value) }

/// Assigns a constant of the target's type.
public func <== (target: Signal, value: Int) -> Assignment {
    Assignment(target: target, value: target.context.constant(value, target.type))
}

/// Collects the statements of a module body or a `When`/`Case` branch. Plain Swift `if`,
/// `for` and `let` work inside; every statement records the line it is written on.
@resultBuilder
public enum StatementBuilder {
    public static func buildExpression(_ assignment: Assignment, fileID: String = #fileID,
                                       line: Int = #line) -> [Statement] {
        let ctx = ElaborationContext.active
        return ctx.statement(for: assignment, at: SourceLocation(fileID: fileID, line: line)).map { [$0] } ?? []
    }

    public static func buildExpression(_ assignments: [Assignment], fileID: String = #fileID,
                                       line: Int = #line) -> [Statement] {
        let ctx = ElaborationContext.active
        let location = SourceLocation(fileID: fileID, line: line)
        return assignments.compactMap { ctx.statement(for: $0, at: location) }
    }

    public static func buildExpression(_ when: When, fileID: String = #fileID, line: Int = #line) -> [Statement] {
        when.statements(at: SourceLocation(fileID: fileID, line: line))
    }

    public static func buildExpression(_ block: Switch, fileID: String = #fileID, line: Int = #line) -> [Statement] {
        block.statements(at: SourceLocation(fileID: fileID, line: line))
    }

    public static func buildExpression(_ write: MemoryWrite, fileID: String = #fileID, line: Int = #line) -> [Statement] {
        write.statements(at: SourceLocation(fileID: fileID, line: line))
    }

    /// Statements from a helper declared `@StatementBuilder func ... -> [Statement]`.
    public static func buildExpression(_ statements: [Statement]) -> [Statement] { statements }

    /// Lets plain Swift calls returning nothing sit in a body.
    public static func buildExpression(_: Void) -> [Statement] { [] }

    public static func buildBlock(_ parts: [Statement]...) -> [Statement] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [Statement]?) -> [Statement] { part ?? [] }
    public static func buildEither(first part: [Statement]) -> [Statement] { part }
    public static func buildEither(second part: [Statement]) -> [Statement] { part }
    public static func buildArray(_ parts: [[Statement]]) -> [Statement] { parts.flatMap { $0 } }
    public static func buildLimitedAvailability(_ part: [Statement]) -> [Statement] { part }
}

extension ElaborationContext {
    /// The IR statement for an assignment, or nil (with a diagnostic) when it cannot be one.
    func statement(for assignment: Assignment, at location: SourceLocation) -> Statement? {
        let target = assignment.target, value = assignment.value
        guard target.context === self, value.context === self else {
            report("a signal of another module (or declared outside a module body) is used in module '\(moduleName)'", at: location)
            return nil
        }
        guard let declaration = target.declaration else {
            let poisoned = state.withLock { $0.nodes[target.id.index].poisoned }
            if !poisoned {
                report("cannot assign to an expression: the target of '<==' must be a port, wire or register", at: location)
            }
            return nil
        }
        return Statement(.assign(target: declaration, value: value.id), location: location)
    }

    /// Checks that `signal` belongs to this module; reports otherwise.
    func owns(_ signal: Signal, at location: SourceLocation) -> Bool {
        if signal.context === self { return true }
        report("a signal of another module (or declared outside a module body) is used in module '\(moduleName)'", at: location)
        return false
    }
}

extension Module {
    /// Builds a module: runs `body` (declarations and statements) and records the result as IR.
    /// Problems are collected and reported when the module is placed in a `Design`.
    ///
    /// ```swift
    /// let counter = Module("Counter") {
    ///     let en = Input("en", .bool)
    ///     let count = Output("count", .uint(8))
    ///     let r = Reg("r", .uint(8), reset: 0)
    ///     When(en) { r <== r &+ 1 }
    ///     count <== r
    /// }
    /// ```
    public init(_ name: String, fileID: String = #fileID, line: Int = #line,
                @StatementBuilder body: () -> [Statement]) {
        let location = SourceLocation(fileID: fileID, line: line)
        let ctx = ElaborationContext(moduleName: name, location: location)
        let statements = ElaborationContext.$current.withValue(ctx) { body() }
        self = ctx.finish(name: name, location: location, body: statements)
    }
}
