/// Conditional statements: `When(c) { ... }.ElseWhen(d) { ... }.Otherwise { ... }`, appended to
/// the active block.
///
/// A signal assigned in only some branches keeps its previous value there: for a register that
/// means it holds, for a combinational signal it is a latch and a diagnostic (assign a default
/// first or cover every branch).
@discardableResult
public func When(_ condition: Signal, fileID: String = #fileID, line: Int = #line,
                 @StatementBuilder _ body: () -> Void) -> WhenChain {
    WhenChain(condition, at: SourceLocation(fileID: fileID, line: line), body)
}

/// A `When` being built: `ElseWhen` and `Otherwise` extend the statement `When` appended.
public struct WhenChain: Sendable {
    struct Branch: Sendable {
        let condition: Signal
        let body: [Statement]
        let location: SourceLocation
    }

    let branches: [Branch]
    let otherwise: [Statement]?
    /// Where the IR statement sits in its block, nil when it could not be built.
    let handle: StatementHandle?

    init(_ condition: Signal, at location: SourceLocation, _ body: () -> Void) {
        let ctx = ElaborationContext.active
        branches = [Branch(condition: condition, body: ctx.collect(at: location, body), location: location)]
        otherwise = nil
        handle = Self.statement(branches, otherwise: nil, in: ctx).flatMap { ctx.append($0) }
    }

    private init(branches: [Branch], otherwise: [Statement]?, extending previous: WhenChain, at location: SourceLocation) {
        self.branches = branches
        self.otherwise = otherwise
        let ctx = ElaborationContext.active
        if let handle = previous.handle, let statement = Self.statement(branches, otherwise: otherwise, in: ctx),
           !ctx.replace(handle, with: statement) {
            ctx.report("ElseWhen/Otherwise must directly follow its When, in the same block", at: location)
        }
        self.handle = previous.handle
    }

    /// Adds a branch taken when the previous conditions are 0 and `condition` is 1.
    @discardableResult
    public func ElseWhen(_ condition: Signal, fileID: String = #fileID, line: Int = #line,
                         @StatementBuilder _ body: () -> Void) -> WhenChain {
        let location = SourceLocation(fileID: fileID, line: line)
        let branch = Branch(condition: condition, body: ElaborationContext.active.collect(at: location, body),
                            location: location)
        return WhenChain(branches: branches + [branch], otherwise: otherwise, extending: self, at: location)
    }

    /// Adds the branch taken when no condition is 1.
    @discardableResult
    public func Otherwise(fileID: String = #fileID, line: Int = #line, @StatementBuilder _ body: () -> Void) -> WhenChain {
        let location = SourceLocation(fileID: fileID, line: line)
        return WhenChain(branches: branches, otherwise: ElaborationContext.active.collect(at: location, body),
                    extending: self, at: location)
    }

    /// Nested IR `when` statements, innermost `ElseWhen` last; nil when a condition belongs to
    /// another module (reported).
    private static func statement(_ branches: [Branch], otherwise: [Statement]?, in ctx: ElaborationContext) -> Statement? {
        var tail = otherwise ?? []
        for branch in branches.reversed() {
            guard ctx.owns(branch.condition, at: branch.location) else { return nil }
            tail = [Statement(.when(condition: branch.condition.id, then: branch.body, otherwise: tail),
                              location: branch.location)]
        }
        return tail.first
    }
}

/// One labelled branch of a `Switch`, made by `Case` or `Default`.
public struct CaseItem: Sendable {
    enum Labels: Sendable {
        case integers([Int])
        case patterns([BitVector])
        case otherwise
    }

    let labels: Labels
    let body: [Statement]
    let location: SourceLocation

    init(labels: Labels, body: () -> Void, at location: SourceLocation) {
        self.labels = labels
        self.body = ElaborationContext.active.collect(at: location, body)
        self.location = location
    }
}

/// A branch of a `Switch` taken when the subject equals one of `values`.
public func Case(_ values: Int..., fileID: String = #fileID, line: Int = #line,
                 @StatementBuilder body: () -> Void) -> CaseItem {
    CaseItem(labels: .integers(values), body: body, at: SourceLocation(fileID: fileID, line: line))
}

/// A branch of a `Switch` taken when the subject equals one of the bit patterns.
public func Case(patterns: [BitVector], fileID: String = #fileID, line: Int = #line,
                 @StatementBuilder body: () -> Void) -> CaseItem {
    CaseItem(labels: .patterns(patterns), body: body, at: SourceLocation(fileID: fileID, line: line))
}

/// The branch of a `Switch` taken when no `Case` matches.
public func Default(fileID: String = #fileID, line: Int = #line, @StatementBuilder body: () -> Void) -> CaseItem {
    CaseItem(labels: .otherwise, body: body, at: SourceLocation(fileID: fileID, line: line))
}

/// Collects the `Case`/`Default` branches of a `Switch`; `for` loops generate cases.
@resultBuilder
public enum CaseBuilder {
    public static func buildExpression(_ item: CaseItem) -> [CaseItem] { [item] }
    public static func buildBlock(_ parts: [CaseItem]...) -> [CaseItem] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [CaseItem]?) -> [CaseItem] { part ?? [] }
    public static func buildEither(first part: [CaseItem]) -> [CaseItem] { part }
    public static func buildEither(second part: [CaseItem]) -> [CaseItem] { part }
    public static func buildArray(_ parts: [[CaseItem]]) -> [CaseItem] { parts.flatMap { $0 } }
}

/// Selects one branch by the value of `subject`: `Switch(s) { Case(0) { ... }; Default { ... } }`,
/// appended to the active block. Without `Default`, combinational signals must be assigned before
/// the `Switch` unless the cases cover every value (otherwise they would be latches).
public func Switch(_ subject: Signal, fileID: String = #fileID, line: Int = #line,
                   @CaseBuilder _ body: () -> [CaseItem]) {
    let location = SourceLocation(fileID: fileID, line: line)
    let block = SwitchBlock(subject: subject, cases: body())
    if let statement = block.statement(at: location) { ElaborationContext.active.append(statement) }
}

/// The branches of a `Switch`, checked and turned into one IR statement.
struct SwitchBlock {
    let subject: Signal
    let cases: [CaseItem]

    func statement(at location: SourceLocation) -> Statement? {
        let ctx = ElaborationContext.active
        guard ctx.owns(subject, at: location) else { return nil }
        var irCases: [SwitchCase] = []
        var otherwise: [Statement]?
        var seen = Set<BitVector>()
        for item in cases {
            var values: [BitVector] = []
            switch item.labels {
            case .otherwise:
                if otherwise != nil { ctx.report("duplicate Default in Switch", at: item.location) }
                otherwise = item.body
                continue
            case .integers(let ints):
                for value in ints {
                    if BitVector.fits(value, width: subject.width, signed: subject.isSigned) {
                        values.append(BitVector(value, width: subject.width))
                    } else {
                        ctx.report("case value \(value) does not fit the \(subject.type) subject", at: item.location)
                    }
                }
            case .patterns(let patterns):
                for pattern in patterns {
                    if pattern.width == subject.width { values.append(pattern) } else {
                        ctx.report("width mismatch: \(pattern.width)-bit case value for a \(subject.width)-bit subject",
                                   at: item.location)
                    }
                }
            }
            for value in values where !seen.insert(value).inserted {
                ctx.report("duplicate case value \(value) in Switch", at: item.location)
            }
            irCases.append(SwitchCase(values: values, body: item.body, location: item.location))
        }
        return Statement(.switchOn(subject: subject.id, cases: irCases, otherwise: otherwise), location: location)
    }
}

/// Runs `body` with the module's top level as the active block: the statements it appends are
/// continuous whatever `When` or `Case` is open around the call. For wiring that belongs to a
/// declaration rather than to the control flow, such as the inputs of an instance used like a
/// function (`RegNext` and memory read ports are continuous in the same way).
public func Continuous(fileID: String = #fileID, line: Int = #line, @StatementBuilder _ body: () -> Void) {
    let ctx = ElaborationContext.active
    for statement in ctx.collect(at: SourceLocation(fileID: fileID, line: line), body) {
        ctx.addTopLevel(statement)
    }
}
