import Golden
import HDL

/// The illegal designs the fuzzer makes from legal ones, one per elaboration check.
public enum MutationKind: String, Sendable, CaseIterable, Codable {
    /// An assignment whose value is one bit wider than its target.
    case widthMismatch = "width-mismatch"
    /// Every assignment to a wire or output removed.
    case undriven
    /// An assignment repeated in the same block, or an input port assigned.
    case multiplyDriven = "multiply-driven"
    /// A combinational signal's value made to depend on itself.
    case combinationalLoop = "combinational-loop"
    /// A combinational signal's only assignment put under a `When` with no `Otherwise`.
    case latch
}

/// A legal module mutated into an illegal one, with the one diagnostic `Design(top:)` must
/// report: this message prefix at this location, and nothing else.
public struct Mutant: Sendable {
    public let kind: MutationKind
    public let module: Module
    public let expectedMessage: String
    public let expectedLocation: SourceLocation

    /// Mutates `module`'s own body (not its submodules); nil when it has no place for `kind`
    /// (no combinational signal with a single top-level assignment, for a latch).
    public init?(_ module: Module, kind: MutationKind, rng: inout SeededRandom) {
        var m = module
        let assigns = Self.assignments(in: m.statements)
        func decl(_ id: SignalID) -> SignalDecl { m.signals[id.index] }
        func isCombinational(_ id: SignalID) -> Bool { [.wire, .output].contains(decl(id).kind) }
        func addNode(_ op: Op, _ type: HWType) -> ExprID {
            m.nodes.append(Node(op: op, type: type))
            return ExprID(m.nodes.count - 1)
        }
        let message: String, location: SourceLocation
        switch kind {
        case .widthMismatch:
            guard let pick = assigns.randomElement(using: &rng) else { return nil }
            let t = decl(pick.target).type
            let wider = addNode(t.isSigned ? .signExtend(pick.value) : .zeroExtend(pick.value), HWType(width: t.width + 1, isSigned: t.isSigned))
            m.statements = Self.rewrite(m.statements, ordinal: pick.ordinal) { _ in [Statement(.assign(target: pick.target, value: wider), location: pick.location)] }
            message = "width mismatch: cannot assign a \(t.width + 1)-bit value to \(t.width)-bit '\(decl(pick.target).name)'"
            location = pick.location
        case .undriven:
            let targets = Array(Set(assigns.map(\.target).filter(isCombinational))).sorted { $0.index < $1.index }
            guard let target = targets.randomElement(using: &rng) else { return nil }
            m.statements = Self.removing(target, from: m.statements)
            message = "undriven: \(decl(target).kind == .output ? "output" : "wire") '\(decl(target).name)' is never assigned"
            location = decl(target).location
        case .multiplyDriven:
            let inputs = m.ports.filter { decl($0).kind == .input && $0 != m.clock && $0 != m.reset }
            if Bool.random(using: &rng), let input = inputs.randomElement(using: &rng) {
                let value = addNode(.signal(input), decl(input).type)
                m.statements.append(Statement(.assign(target: input, value: value), location: m.location))
                message = "multiple drivers: '\(decl(input).name)' is an input port, driven from outside"
                location = m.location
            } else {
                guard let pick = assigns.randomElement(using: &rng) else { return nil }
                let copy = Statement(.assign(target: pick.target, value: pick.value), location: pick.location)
                m.statements = Self.rewrite(m.statements, ordinal: pick.ordinal) { [$0, copy] }
                message = "multiple drivers: '\(decl(pick.target).name)' is already assigned at \(pick.location) in the same block"
                location = pick.location
            }
        case .combinationalLoop:
            guard let pick = assigns.filter({ $0.topLevel && isCombinational($0.target) }).randomElement(using: &rng) else { return nil }
            let t = decl(pick.target).type
            let loop = addNode(.binary(.xor, pick.value, addNode(.signal(pick.target), t)), t)
            m.statements = Self.rewrite(m.statements, ordinal: pick.ordinal) { _ in [Statement(.assign(target: pick.target, value: loop), location: pick.location)] }
            message = "combinational loop: \(decl(pick.target).name) -> \(decl(pick.target).name)"
            location = assigns.first { $0.target == pick.target }!.location
        case .latch:
            let single = assigns.filter { a in a.topLevel && isCombinational(a.target) && assigns.filter { $0.target == a.target }.count == 1 }
            guard let pick = single.randomElement(using: &rng) else { return nil }
            let condition = addNode(.constant(BitVector(1, width: 1)), .uint(1))
            m.statements = Self.rewrite(m.statements, ordinal: pick.ordinal) {
                [Statement(.when(condition: condition, then: [$0], otherwise: []), location: pick.location)]
            }
            message = "latch: '\(decl(pick.target).name)' is not assigned on every path"
            location = pick.location
        }
        self.kind = kind
        self.module = m
        expectedMessage = message
        expectedLocation = location
    }

    /// `mutant`'s expectation on another module (a test of `check` itself).
    public init(copying mutant: Mutant, module: Module) {
        kind = mutant.kind
        self.module = module
        expectedMessage = mutant.expectedMessage
        expectedLocation = mutant.expectedLocation
    }

    /// nil when elaboration reports exactly the expected diagnostic; otherwise what went wrong.
    public func check() -> String? {
        do {
            _ = try Design(top: module)
            return "elaborated without a diagnostic (expected \"\(expectedMessage)\" at \(expectedLocation))"
        } catch let error as ElaborationError {
            let found = error.diagnostics
            if found.count == 1, found[0].message.hasPrefix(expectedMessage), found[0].location == expectedLocation { return nil }
            return "expected exactly \"\(expectedMessage)\" at \(expectedLocation), got: "
                + found.map { "\"\($0.message)\" at \($0.location)" }.joined(separator: "; ")
        } catch {
            return "elaboration threw \(error)"
        }
    }

    struct Assignment {
        var ordinal: Int
        var target: SignalID
        var value: ExprID
        var location: SourceLocation
        var topLevel: Bool
    }

    /// Every assignment, in traversal order (the order `rewrite` numbers them).
    static func assignments(in block: [Statement]) -> [Assignment] {
        var found: [Assignment] = []
        func walk(_ block: [Statement], depth: Int) {
            for s in block {
                switch s.kind {
                case .assign(let target, let value):
                    found.append(Assignment(ordinal: found.count, target: target, value: value, location: s.location, topLevel: depth == 0))
                case .when(_, let then, let otherwise):
                    walk(then, depth: depth + 1)
                    walk(otherwise, depth: depth + 1)
                case .switchOn(_, let cases, let otherwise):
                    for c in cases { walk(c.body, depth: depth + 1) }
                    if let otherwise { walk(otherwise, depth: depth + 1) }
                case .memoryWrite, .memoryRead: break
                }
            }
        }
        walk(block, depth: 0)
        return found
    }

    /// `block` with the assignment number `ordinal` replaced by what `replace` returns.
    static func rewrite(_ block: [Statement], ordinal: Int, _ replace: (Statement) -> [Statement]) -> [Statement] {
        var counter = 0
        func walk(_ block: [Statement]) -> [Statement] {
            block.flatMap { s -> [Statement] in
                var s = s
                switch s.kind {
                case .assign:
                    defer { counter += 1 }
                    return counter == ordinal ? replace(s) : [s]
                case .when(let c, let then, let otherwise):
                    s.kind = .when(condition: c, then: walk(then), otherwise: walk(otherwise))
                case .switchOn(let subject, var cases, let otherwise):
                    for i in cases.indices { cases[i].body = walk(cases[i].body) }
                    s.kind = .switchOn(subject: subject, cases: cases, otherwise: otherwise.map(walk))
                case .memoryWrite, .memoryRead: break
                }
                return [s]
            }
        }
        return walk(block)
    }

    /// `block` without any assignment to `target`.
    static func removing(_ target: SignalID, from block: [Statement]) -> [Statement] {
        var result = block
        for a in assignments(in: block).reversed() where a.target == target {
            result = rewrite(result, ordinal: a.ordinal) { _ in [] }
        }
        return result
    }
}
