/// A design flattened for simulation: every signal and expression node of every module instance
/// gets a slot in one word arena; instance ports share their slots with the parent's wires.
struct SimulationProgram {
    /// Where a value lives in the arena.
    struct Slot {
        var offset: Int
        var width: Int
        var signed: Bool
    }

    /// One module instance.
    struct Instance {
        var module: Module
        /// Hierarchical name: "" for the top, "u0.u1" below.
        var path: String
        /// Slot index of every signal (by `SignalID.index`).
        var signalSlots: [Int]
        /// Slot index of every expression node (by `ExprID.index`).
        var nodeSlots: [Int]
        /// Global memory index of every memory (by `MemoryID.index`).
        var memories: [Int]
    }

    /// Root statements of one instance that drive combinational signals, run as one block.
    struct CombinationalUnit {
        var instance: Int
        var statements: [Statement]
        /// Every node the statements use, in topological (index) order.
        var nodes: [Int]
        var writes: [Int]
        var reads: [Int]
    }

    /// The register and memory part of one instance's statements.
    struct SequentialUnit {
        var instance: Int
        var statements: [Statement]
        var nodes: [Int]
    }

    struct Register {
        var slot: Int
        var next: Int
        var reset: BitVector?
        /// Slot of the instance's `rst` when the register has a reset value.
        var resetSlot: Int?
        /// Slot of the enable node's value.
        var enableSlot: Int?
    }

    struct MemoryStorage {
        var depth: Int
        var elementWidth: Int
        var offset: Int
        var wordsPerElement: Int
    }

    var slots: [Slot] = []
    var arenaWords = 0
    var instances: [Instance] = []
    var combinational: [CombinationalUnit] = []
    var sequential: [SequentialUnit] = []
    var registers: [Register] = []
    /// Register slot -> the slot collecting its next value during a clock edge.
    var nextSlot: [Int: Int] = [:]
    /// Enable nodes of registers, per instance, evaluated before a clock edge.
    var enableNodes: [(instance: Int, nodes: [Int])] = []
    var memories: [MemoryStorage] = []
    var memoryWords = 0
    /// Whether the combinational units need iterating to a fixed point (a unit reads what it or
    /// a later unit writes); otherwise one pass in order settles everything.
    var needsFixpoint = false
    var maxWords = 1

    init(_ design: Design) {
        let top = design.topModule
        instantiate(top, path: "", bindings: [:], design: design)
        orderCombinational()
    }

    private mutating func newSlot(width: Int, signed: Bool) -> Int {
        let words = WordArithmetic.wordCount(width)
        slots.append(Slot(offset: arenaWords, width: width, signed: signed))
        arenaWords += words
        maxWords = max(maxWords, words)
        return slots.count - 1
    }

    /// Creates slots and units for `module`; `bindings` maps its port signals to parent slots.
    private mutating func instantiate(_ module: Module, path: String, bindings: [Int: Int], design: Design) {
        let index = instances.count
        var signalSlots: [Int] = []
        for (position, decl) in module.signals.enumerated() {
            signalSlots.append(bindings[position] ?? newSlot(width: decl.type.width, signed: decl.type.isSigned))
        }
        let nodeSlots = module.nodes.map { newSlot(width: $0.type.width, signed: $0.type.isSigned) }
        var memoryIndices: [Int] = []
        for memory in module.memories {
            let words = WordArithmetic.wordCount(memory.elementType.width)
            memories.append(MemoryStorage(depth: memory.depth, elementWidth: memory.elementType.width,
                                          offset: memoryWords, wordsPerElement: words))
            memoryWords += words * memory.depth
            memoryIndices.append(memories.count - 1)
        }
        instances.append(Instance(module: module, path: path, signalSlots: signalSlots, nodeSlots: nodeSlots,
                                  memories: memoryIndices))

        // Registers.
        var enables: [Int] = []
        for (position, decl) in module.signals.enumerated() {
            guard case .register(let spec) = decl.kind else { continue }
            let next = newSlot(width: decl.type.width, signed: decl.type.isSigned)
            registers.append(Register(
                slot: signalSlots[position], next: next, reset: spec.reset,
                resetSlot: spec.reset != nil ? module.reset.map { signalSlots[$0.index] } : nil,
                enableSlot: spec.enable.map { nodeSlots[$0.index] }))
            nextSlot[signalSlots[position]] = next
            if let enable = spec.enable { enables.append(enable.index) }
        }
        if !enables.isEmpty { enableNodes.append((index, Self.closure(of: enables, in: module))) }

        // Combinational units: root statements sharing targets run together, in program order.
        let isCombinational: (SignalID) -> Bool = { !module[signal: $0].kind.isRegister }
        let roots = module.statementGroups(sharingTargetsWhere: isCombinational).map { group in
            let statements = group.flatMap { Self.filter([module.statements[$0]], keep: isCombinational, memories: false) }
            return (statements: statements, targets: Set(statements.assignedSignals.map(\.index)))
        }
        for root in roots {
            let nodes = Self.closure(of: Self.usedNodes(root.statements), in: module)
            let reads = nodes.compactMap { node -> Int? in
                if case .signal(let id) = module.nodes[node].op { return signalSlots[id.index] }
                return nil
            }
            combinational.append(CombinationalUnit(
                instance: index, statements: root.statements, nodes: nodes,
                writes: root.targets.sorted().map { signalSlots[$0] }, reads: reads))
        }

        // Sequential part.
        let sequentialStatements = Self.filter(module.statements, keep: { module[signal: $0].kind.isRegister },
                                               memories: true)
        if !sequentialStatements.isEmpty {
            sequential.append(SequentialUnit(instance: index, statements: sequentialStatements,
                                             nodes: Self.closure(of: Self.usedNodes(sequentialStatements), in: module)))
        }

        // Children: their ports take the parent's bound slots.
        for instance in module.instances {
            guard let child = module.submodules.first(where: { $0.name == instance.moduleName })
                ?? design.module(named: instance.moduleName) else { continue }
            var childBindings: [Int: Int] = [:]
            for binding in instance.bindings {
                if let port = child.ports.first(where: { child[signal: $0].name == binding.port }) {
                    childBindings[port.index] = signalSlots[binding.signal.index]
                }
            }
            instantiate(child, path: path.isEmpty ? instance.name : "\(path).\(instance.name)",
                        bindings: childBindings, design: design)
        }
    }

    /// Orders combinational units so that writers come before readers (Kahn); leftovers from
    /// cycles (or a unit reading its own targets) switch on fixed-point iteration.
    private mutating func orderCombinational() {
        var writer: [Int: [Int]] = [:]
        for (index, unit) in combinational.enumerated() {
            for slot in unit.writes { writer[slot, default: []].append(index) }
        }
        var indegree = [Int](repeating: 0, count: combinational.count)
        var edges = [[Int]](repeating: [], count: combinational.count)
        for (index, unit) in combinational.enumerated() {
            var sources = Set<Int>()
            for slot in unit.reads { for source in writer[slot] ?? [] { sources.insert(source) } }
            if sources.contains(index) { needsFixpoint = true }
            sources.remove(index)
            for source in sources {
                edges[source].append(index)
                indegree[index] += 1
            }
        }
        var ready = (0..<combinational.count).filter { indegree[$0] == 0 }
        var order: [Int] = []
        var cursor = 0
        while cursor < ready.count {
            let unit = ready[cursor]
            cursor += 1
            order.append(unit)
            for next in edges[unit] {
                indegree[next] -= 1
                if indegree[next] == 0 { ready.append(next) }
            }
        }
        if order.count < combinational.count {
            needsFixpoint = true
            order += (0..<combinational.count).filter { !order.contains($0) }
        }
        combinational = order.map { combinational[$0] }
    }

    // MARK: Statement helpers

    /// The statements (structure kept) that assign signals passing `keep`, plus memory
    /// operations when `memories`.
    static func filter(_ block: [Statement], keep: (SignalID) -> Bool, memories: Bool) -> [Statement] {
        block.filtered { leaf in leaf.assignedSignal.map(keep) ?? memories }
    }

    /// Nodes referenced directly by statements.
    static func usedNodes(_ block: [Statement]) -> [Int] { block.allExpressions.map(\.index) }

    /// `roots` and every node they depend on, sorted (operands precede users).
    static func closure(of roots: [Int], in module: Module) -> [Int] {
        var seen = Set<Int>()
        var stack = roots
        while let node = stack.popLast() {
            guard seen.insert(node).inserted else { continue }
            stack += module.nodes[node].operands.map(\.index)
        }
        return seen.sorted()
    }
}
