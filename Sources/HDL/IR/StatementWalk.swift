// The one traversal of statement trees. Passes that only need "every statement", "every
// expression a block reads", "every target" or "the part of a block that does X" use these;
// only the places that give each kind its meaning (the printers, the checker, the simulator's
// execution) switch on `Statement.Kind`, so a new kind is taught to the walk here once.

extension Statement {
    /// The blocks nested directly in this statement, in program order: `then` and `otherwise`
    /// of a `when`; every case body and then the default (when present) of a `switchOn`;
    /// none for assignments and memory accesses.
    public var nestedBlocks: [[Statement]] {
        switch kind {
        case .assign, .memoryWrite, .memoryRead:
            return []
        case .when(_, let then, let otherwise):
            return [then, otherwise]
        case .switchOn(_, let cases, let otherwise):
            return cases.map(\.body) + (otherwise.map { [$0] } ?? [])
        }
    }

    /// The same statement with its nested blocks replaced by `blocks` (as many, in the order of
    /// `nestedBlocks`); case values, conditions and locations are kept.
    public func replacingNestedBlocks(_ blocks: [[Statement]]) -> Statement {
        precondition(blocks.count == nestedBlocks.count, "replacingNestedBlocks needs one block per nested block")
        switch kind {
        case .assign, .memoryWrite, .memoryRead:
            return self
        case .when(let condition, _, _):
            return Statement(.when(condition: condition, then: blocks[0], otherwise: blocks[1]), location: location)
        case .switchOn(let subject, let cases, let otherwise):
            let bodies = zip(cases, blocks).map { SwitchCase(values: $0.values, body: $1, location: $0.location) }
            return Statement(.switchOn(subject: subject, cases: bodies, otherwise: otherwise == nil ? nil : blocks[cases.count]),
                             location: location)
        }
    }

    /// The expressions this statement reads itself (not those of its nested blocks): the
    /// assigned value, the condition, the switch subject, a memory address and written data.
    public var expressions: [ExprID] {
        switch kind {
        case .assign(_, let value): return [value]
        case .when(let condition, _, _): return [condition]
        case .switchOn(let subject, _, _): return [subject]
        case .memoryWrite(_, let address, let data): return [address, data]
        case .memoryRead(_, let address, _): return [address]
        }
    }

    /// The signal an assignment drives; nil for every other kind.
    public var assignedSignal: SignalID? {
        if case .assign(let target, _) = kind { return target }
        return nil
    }

    /// The memory a read or write accesses; nil for every other kind.
    public var accessedMemory: MemoryID? {
        switch kind {
        case .memoryWrite(let memory, _, _), .memoryRead(let memory, _, _): return memory
        case .assign, .when, .switchOn: return nil
        }
    }
}

extension Array where Element == Statement {
    /// Every statement of the block and of the blocks nested in it, each before its nested
    /// statements (pre-order, program order).
    public var allStatements: StatementWalk { StatementWalk(self) }

    /// Every expression the block and its nested blocks read directly, in program order.
    public var allExpressions: [ExprID] { allStatements.flatMap(\.expressions) }

    /// The targets of every assignment in the block and its nested blocks, in program order
    /// (a signal assigned twice appears twice).
    public var assignedSignals: [SignalID] { allStatements.compactMap(\.assignedSignal) }

    /// The part of the block made of the leaf statements (assignments and memory accesses)
    /// passing `keep`, with the `when`s and `switchOn`s around them. A control statement with
    /// nothing kept inside is dropped; one with something kept keeps all its cases, even empty
    /// ones, so the same case is selected.
    public func filtered(keepingLeaves keep: (Statement) -> Bool) -> [Statement] {
        var result: [Statement] = []
        for statement in self {
            let blocks = statement.nestedBlocks
            if blocks.isEmpty {
                if keep(statement) { result.append(statement) }
                continue
            }
            let kept = blocks.map { $0.filtered(keepingLeaves: keep) }
            if kept.contains(where: { !$0.isEmpty }) { result.append(statement.replacingNestedBlocks(kept)) }
        }
        return result
    }
}

/// The statements of a block in pre-order (see `Array<Statement>.allStatements`).
public struct StatementWalk: Sequence, IteratorProtocol {
    /// The rest of every block being walked, innermost last.
    private var pending: [ArraySlice<Statement>]

    public init(_ block: [Statement]) { pending = [block[...]] }

    public mutating func next() -> Statement? {
        while let rest = pending.popLast() {
            guard let statement = rest.first else { continue }
            pending.append(rest.dropFirst())
            pending += statement.nestedBlocks.reversed().map { $0[...] }
            return statement
        }
        return nil
    }
}
