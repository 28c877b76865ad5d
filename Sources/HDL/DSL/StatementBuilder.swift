infix operator <== : AssignmentPrecedence

/// The statements one `<==` appended to the active block, handed to `StatementBuilder` so that it
/// can record the line the assignment is written on.
public struct Assignment: Sendable {
    /// How many entries (statements or diagnostics) the assignment appended; they are the newest
    /// entries of the block still waiting for a location.
    let entries: Int
}

/// Assigns `value` to a port, wire or register (its next value for a register), appending the
/// assignment to the active block: the module body, or the innermost `When`/`Case` being built.
/// The types must match exactly: a width mismatch is a diagnostic, never a silent truncation.
///
/// Like Chisel's `:=`, it works anywhere in a module body, including plain Swift helper functions;
/// written directly in a body it records its own line, in a helper it takes the line of the
/// helper's call.
@discardableResult
public func <== (target: Signal, value: Signal) -> Assignment {
    ElaborationContext.active.appendAssignment(target: target, value: value)
}

/// Assigns a constant of the target's type.
@discardableResult
public func <== (target: Signal, value: Int) -> Assignment {
    target <== target.context.constant(value, target.type)
}

/// Gives the statements of a module body or a `When`/`Case` branch their lines. The statements
/// themselves are appended to the active block as they run (`<==`, `When`, `Switch`,
/// `Memory.write`), so plain Swift `if`, `for`, `let` and helper functions work inside.
@resultBuilder
public enum StatementBuilder {
    public static func buildExpression(_ assignment: Assignment, fileID: String = #fileID, line: Int = #line) {
        ElaborationContext.active.locateNewest(assignment.entries, at: SourceLocation(fileID: fileID, line: line))
    }

    public static func buildExpression(_ assignments: [Assignment], fileID: String = #fileID, line: Int = #line) {
        let entries = assignments.reduce(0) { $0 + $1.entries }
        ElaborationContext.active.locateNewest(entries, at: SourceLocation(fileID: fileID, line: line))
    }

    public static func buildExpression(_: WhenChain) {}

    /// A helper call or a `Memory.write`: whatever the helper appended without a line of its own
    /// takes the line of the call.
    public static func buildExpression(_: Void, fileID: String = #fileID, line: Int = #line) {
        ElaborationContext.active.locateAll(at: SourceLocation(fileID: fileID, line: line))
    }

    public static func buildBlock(_: Void...) {}
    public static func buildOptional(_: Void?) {}
    public static func buildEither(first _: Void) {}
    public static func buildEither(second _: Void) {}
    public static func buildArray(_: [Void]) {}
    public static func buildLimitedAvailability(_: Void) {}
}

extension ElaborationContext {
    /// Appends `target <== value` to the active block, with its location to come.
    func appendAssignment(target: Signal, value: Signal) -> Assignment {
        guard self !== Self.detached else { return Assignment(entries: 0) }
        var entries: [BlockEntry] = []
        if let statement = statement(for: target, value, report: { entries.append(.diagnostic($0)) }) {
            entries.append(.statement(statement))
        }
        appendUnlocated(entries)
        return Assignment(entries: entries.count)
    }

    /// The IR statement for `target <== value` (location to be set by the caller), or nil after
    /// reporting why it cannot be one.
    func statement(for target: Signal, _ value: Signal, report: (String) -> Void) -> Statement? {
        guard target.context === self, value.context === self else {
            report("a signal of another module (or declared outside a module body) is used in module '\(moduleName)'")
            return nil
        }
        guard let declaration = target.declaration else {
            let poisoned = state.withLock { $0.nodes[target.id.index].poisoned }
            if !poisoned {
                report("cannot assign to an expression: the target of '<==' must be a port, wire or register")
            }
            return nil
        }
        return Statement(.assign(target: declaration, value: value.id), location: .unknown)
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
                @StatementBuilder body: () -> Void) {
        let location = SourceLocation(fileID: fileID, line: line)
        let ctx = ElaborationContext(moduleName: name, location: location)
        let statements = ElaborationContext.$current.withValue(ctx) { ctx.collect(at: location, body) }
        self = ctx.finish(name: name, location: location, body: statements)
    }
}
