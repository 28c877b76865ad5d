/// The required emission pass: legal, unique names for everything a module prints, and the
/// expression nodes that must become temporaries (`_`-prefixed wires) because SystemVerilog
/// cannot express them inline with the IR's exact widths.
///
/// Why temporaries are needed: Verilog sizes an operand to its context, so an expression that
/// must be extended (e.g. the operands of a widening add) is only exact when it is a name;
/// slices need a name as base; shared sub-expressions are printed once.
struct LegalizedModule {
    let module: Module
    let name: String
    var signalNames: [String]
    var memoryNames: [String]
    var instanceNames: [String]
    /// For each node: the temporary's name, or nil when printed inline (or unused).
    var temporaries: [String?]
    /// Nodes used by some statement (the others are not printed).
    var reachable: [Bool]

    init(_ module: Module, name: String, options: EmitOptions) {
        self.module = module
        self.name = name
        var used = Set<String>()
        func legal(_ base: String) -> String {
            var candidate = base
            while SystemVerilogKeywords.all.contains(candidate) || used.contains(candidate) { candidate += "_" }
            used.insert(candidate)
            return candidate
        }
        signalNames = module.signals.map { legal($0.name) }
        memoryNames = module.memories.map { legal($0.name) }
        instanceNames = module.instances.map { legal($0.name) }
        temporaries = Array(repeating: nil, count: module.nodes.count)
        reachable = Array(repeating: false, count: module.nodes.count)
        planTemporaries(options: options, used: &used)
    }

    /// The expressions statements use, in statement order, each with the name its temporaries
    /// are numbered after (the assigned signal, so an edit elsewhere does not renumber them).
    private func roots() -> [(ExprID, String)] {
        var result: [(ExprID, String)] = []
        for (index, signal) in module.signals.enumerated() {
            if case .register(let spec) = signal.kind, let enable = spec.enable {
                result.append((enable, signalNames[index] + "_en"))
            }
        }
        for statement in module.statements.allStatements {
            switch statement.kind {
            case .assign(let target, let value):
                result.append((value, signalNames[target.index]))
            case .when(let condition, let then, _):
                // A condition is named after the first signal its branch assigns.
                let firstTarget = then.allStatements.first { $0.assignedSignal != nil }?.assignedSignal
                result.append((condition, firstTarget.map { signalNames[$0.index] } ?? "cond"))
            case .switchOn(let subject, _, _):
                result.append((subject, "sel"))
            case .memoryWrite(let memory, let address, let data):
                result.append((address, memoryNames[memory.index]))
                result.append((data, memoryNames[memory.index]))
            case .memoryRead(_, let address, let data):
                result.append((address, signalNames[data.index]))
            }
        }
        return result
    }

    private mutating func planTemporaries(options: EmitOptions, used: inout Set<String>) {
        let nodes = module.nodes
        let rootList = roots()
        var uses = [Int](repeating: 0, count: nodes.count)
        var needsName = [Bool](repeating: false, count: nodes.count)
        var stack: [ExprID] = []
        var usedAsRoot = [Bool](repeating: false, count: nodes.count)
        for (root, _) in rootList {
            uses[root.index] += 1
            usedAsRoot[root.index] = true
            if !reachable[root.index] { reachable[root.index] = true; stack.append(root) }
        }
        while let id = stack.popLast() {
            let node = nodes[id.index]
            for operand in node.operands {
                uses[operand.index] += 1
                if !reachable[operand.index] { reachable[operand.index] = true; stack.append(operand) }
            }
            for operand in Self.operandsNeedingNames(node, nodes: nodes) { needsName[operand.index] = true }
        }
        // Decide in topological order so nesting depth is known for every operand.
        var depth = [Int](repeating: 0, count: nodes.count)
        for index in nodes.indices where reachable[index] {
            let node = nodes[index]
            var temporary = false
            switch node.op {
            case .signal: temporary = false
            case .constant: temporary = needsName[index]
            default:
                // Without inlining, only the value a statement uses directly stays in the statement.
                let onlyInStatement = uses[index] == 1 && usedAsRoot[index]
                temporary = needsName[index] || uses[index] > 1 || (!options.inlineExpressions && !onlyInStatement)
                if !temporary {
                    depth[index] = 1 + (node.operands.map { depth[$0.index] }.max() ?? 0)
                    temporary = depth[index] > options.maxInlineDepth
                }
            }
            if temporary {
                depth[index] = 0
                temporaries[index] = ""
            }
        }
        // Name temporaries after the first statement that uses them, operands first.
        var counters: [String: Int] = [:]
        var named = [Bool](repeating: false, count: nodes.count)
        for (root, owner) in rootList {
            var work: [(ExprID, Bool)] = [(root, false)]
            while let (id, expanded) = work.popLast() {
                if named[id.index] { continue }
                if expanded {
                    named[id.index] = true
                    if temporaries[id.index] != nil {
                        var name: String
                        repeat {
                            counters[owner, default: 0] += 1
                            name = "_\(owner)_\(counters[owner]!)"
                        } while used.contains(name)
                        used.insert(name)
                        temporaries[id.index] = name
                    }
                } else {
                    work.append((id, true))
                    for operand in nodes[id.index].operands.reversed() where !named[operand.index] {
                        work.append((operand, false))
                    }
                }
            }
        }
    }

    /// Operands that must be printed as a name: slice/truncate bases, sign-extension sources,
    /// and operands extended to a wider context (extension of an inline expression would widen
    /// its evaluation, changing its value).
    private static func operandsNeedingNames(_ node: Node, nodes: [Node]) -> [ExprID] {
        func widened(_ operand: ExprID, to width: Int) -> ExprID? {
            let node = nodes[operand.index]
            guard node.type.width < width else { return nil }
            // Constants are printed at the wider width; part-selects and concatenations have a
            // self-determined width, so a cast extends them exactly.
            switch node.op {
            case .constant, .concat, .slice: return nil
            case .truncate, .zeroExtend: return node.type.isSigned ? operand : nil
            default: return operand
            }
        }
        switch node.op {
        case .slice(let base, _), .truncate(let base), .signExtend(let base):
            return [base]
        case .binary(let op, let a, let b):
            if op.isComparison {
                let width = max(nodes[a.index].type.width, nodes[b.index].type.width)
                return [widened(a, to: width), widened(b, to: width)].compactMap { $0 }
            }
            if op == .shiftLeft || op == .shiftRight { return [widened(a, to: node.type.width)].compactMap { $0 } }
            return [widened(a, to: node.type.width), widened(b, to: node.type.width)].compactMap { $0 }
        default:
            return []
        }
    }
}
