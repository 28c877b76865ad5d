/// Conditional statements: `When(c) { ... }.ElseWhen(d) { ... }.Otherwise { ... }`.
///
/// A signal assigned in only some branches keeps its previous value there: for a register that
/// means it holds, for a combinational signal it is a latch and a diagnostic (assign a default
/// first or cover every branch).
public struct When: Sendable {
    struct Branch: Sendable {
        let condition: Signal
        let body: [Statement]
        let location: SourceLocation?
    }

    let branches: [Branch]
    let otherwise: [Statement]?
    let otherwiseLocation: SourceLocation?

    /// Runs `body` when `condition` (1 bit) is 1.
    public init(_ condition: Signal, @StatementBuilder _ body: () -> [Statement]) {
        branches = [Branch(condition: condition, body: body(), location: nil)]
        otherwise = nil
        otherwiseLocation = nil
    }

    private init(branches: [Branch], otherwise: [Statement]?, otherwiseLocation: SourceLocation?) {
        self.branches = branches
        self.otherwise = otherwise
        self.otherwiseLocation = otherwiseLocation
    }

    /// Adds a branch taken when the previous conditions are 0 and `condition` is 1.
    public func ElseWhen(_ condition: Signal, fileID: String = #fileID, line: Int = #line,
                         @StatementBuilder _ body: () -> [Statement]) -> When {
        When(branches: branches + [Branch(condition: condition, body: body(),
                                          location: SourceLocation(fileID: fileID, line: line))],
             otherwise: otherwise, otherwiseLocation: otherwiseLocation)
    }

    /// Adds the branch taken when no condition is 1.
    public func Otherwise(fileID: String = #fileID, line: Int = #line,
                          @StatementBuilder _ body: () -> [Statement]) -> When {
        When(branches: branches, otherwise: body(), otherwiseLocation: SourceLocation(fileID: fileID, line: line))
    }

    /// Nested IR `when` statements, innermost `ElseWhen` last.
    func statements(at location: SourceLocation) -> [Statement] {
        let ctx = ElaborationContext.active
        var tail = otherwise ?? []
        for (index, branch) in branches.enumerated().reversed() {
            let here = branch.location ?? location
            guard ctx.owns(branch.condition, at: here) else { return [] }
            tail = [Statement(.when(condition: branch.condition.id, then: branch.body, otherwise: tail),
                              location: index == 0 ? location : here)]
        }
        return tail
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
}

/// A branch of a `Switch` taken when the subject equals one of `values`.
public func Case(_ values: Int..., @StatementBuilder body: () -> [Statement]) -> CaseItem {
    CaseItem(labels: .integers(values), body: body())
}

/// A branch of a `Switch` taken when the subject equals one of the bit patterns.
public func Case(patterns: [BitVector], @StatementBuilder body: () -> [Statement]) -> CaseItem {
    CaseItem(labels: .patterns(patterns), body: body())
}

/// The branch of a `Switch` taken when no `Case` matches.
public func Default(@StatementBuilder body: () -> [Statement]) -> CaseItem {
    CaseItem(labels: .otherwise, body: body())
}

/// Collects the `Case`/`Default` branches of a `Switch`; `for` loops generate cases.
@resultBuilder
public enum CaseBuilder {
    public static func buildExpression(_ item: CaseItem, fileID: String = #fileID, line: Int = #line) -> [LocatedCase] {
        [LocatedCase(item: item, location: SourceLocation(fileID: fileID, line: line))]
    }
    public static func buildBlock(_ parts: [LocatedCase]...) -> [LocatedCase] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [LocatedCase]?) -> [LocatedCase] { part ?? [] }
    public static func buildEither(first part: [LocatedCase]) -> [LocatedCase] { part }
    public static func buildEither(second part: [LocatedCase]) -> [LocatedCase] { part }
    public static func buildArray(_ parts: [[LocatedCase]]) -> [LocatedCase] { parts.flatMap { $0 } }
}

/// A `Case` with the line it is written on.
public struct LocatedCase: Sendable {
    let item: CaseItem
    let location: SourceLocation
}

/// Selects one branch by the value of `subject`: `Switch(s) { Case(0) { ... }; Default { ... } }`.
/// Without `Default`, combinational signals must be assigned before the `Switch` unless the
/// cases cover every value (otherwise they would be latches).
public struct Switch: Sendable {
    let subject: Signal
    let cases: [LocatedCase]

    public init(_ subject: Signal, @CaseBuilder _ body: () -> [LocatedCase]) {
        self.subject = subject
        self.cases = body()
    }

    func statements(at location: SourceLocation) -> [Statement] {
        let ctx = ElaborationContext.active
        guard ctx.owns(subject, at: location) else { return [] }
        var irCases: [SwitchCase] = []
        var otherwise: [Statement]?
        var seen = Set<BitVector>()
        for located in cases {
            var values: [BitVector] = []
            switch located.item.labels {
            case .otherwise:
                if otherwise != nil { ctx.report("duplicate Default in Switch", at: located.location) }
                otherwise = located.item.body
                continue
            case .integers(let ints):
                for value in ints {
                    if BitVector.fits(value, width: subject.width, signed: subject.isSigned) {
                        values.append(BitVector(value, width: subject.width))
                    } else {
                        ctx.report("case value \(value) does not fit the \(subject.type) subject", at: located.location)
                    }
                }
            case .patterns(let patterns):
                for pattern in patterns {
                    if pattern.width == subject.width { values.append(pattern) } else {
                        ctx.report("width mismatch: \(pattern.width)-bit case value for a \(subject.width)-bit subject",
                                   at: located.location)
                    }
                }
            }
            for value in values where !seen.insert(value).inserted {
                ctx.report("duplicate case value \(value) in Switch", at: located.location)
            }
            irCases.append(SwitchCase(values: values, body: located.item.body, location: located.location))
        }
        return [Statement(.switchOn(subject: subject.id, cases: irCases, otherwise: otherwise), location: location)]
    }
}
