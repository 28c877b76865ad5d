/// The elaboration checks of one module: operator misuse (width, signedness, out-of-range
/// slices), assignment types, undriven signals, multiple drivers, latches, combinational loops
/// and duplicate names. Every pass is linear in the size of the module.
struct ModuleChecker {
    let module: Module
    private var diagnostics: [Diagnostic] = []
    /// Nodes already searched for operator errors.
    private var visited: [Bool]
    /// Where each assignable signal is first assigned (nil: never).
    private var firstAssignment: [SourceLocation?]
    /// For each combinationally driven signal: the nodes its value depends on (values and the
    /// conditions of the branches that assign it).
    private var combinationalInputs: [[ExprID]]

    init(module: Module) {
        self.module = module
        visited = Array(repeating: false, count: module.nodes.count)
        firstAssignment = Array(repeating: nil, count: module.signals.count)
        combinationalInputs = Array(repeating: [], count: module.signals.count)
    }

    /// All diagnostics of the module, ordered by source line.
    func run() -> [Diagnostic] {
        var checker = self
        checker.checkNames()
        for (index, signal) in module.signals.enumerated() {
            if case .register(let spec) = signal.kind, let enable = spec.enable {
                checker.checkExpression(enable, at: signal.location)
                if checker.module.nodes[enable.index].type.width != 1 {
                    checker.report("width mismatch: enable of register '\(signal.name)' must be 1 bit", at: signal.location)
                }
            }
            _ = index
        }
        checker.checkBlock(module.statements, conditions: [])
        checker.reportUnreachedNodeErrors()
        checker.checkDrivers()
        checker.checkLatches()
        checker.checkCombinationalLoops()
        return checker.diagnostics.enumerated().sorted { a, b in
            (a.element.location.fileID, a.element.location.line, a.offset)
                < (b.element.location.fileID, b.element.location.line, b.offset)
        }.map(\.element)
    }

    private mutating func report(_ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(message, at: location))
    }

    private func name(_ id: SignalID) -> String { module.signals[id.index].name }

    // MARK: Names

    private mutating func checkNames() {
        var seen: [String: SourceLocation] = [:]
        func claim(_ name: String, _ location: SourceLocation, _ checker: inout ModuleChecker) {
            if !Identifier.isValid(name) {
                checker.report("invalid name '\(name)': use letters, digits and '_', not starting with a digit or '_'", at: location)
            }
            if let first = seen[name] {
                checker.report("duplicate name: '\(name)' is already declared at \(first)", at: location)
            } else {
                seen[name] = location
            }
        }
        for signal in module.signals { claim(signal.name, signal.location, &self) }
        for memory in module.memories { claim(memory.name, memory.location, &self) }
        for instance in module.instances { claim(instance.name, instance.location, &self) }
        if !Identifier.isValid(module.name) {
            report("invalid module name '\(module.name)'", at: module.location)
        }
    }

    // MARK: Operator errors

    /// Reports the first error in the expression graph under `root` not reported yet.
    private mutating func checkExpression(_ root: ExprID, at location: SourceLocation) {
        guard !visited[root.index] else { return }
        var stack = [root]
        visited[root.index] = true
        while let id = stack.popLast() {
            let node = module.nodes[id.index]
            if let error = node.error { report(error, at: location) }
            guard node.poisoned else { continue }
            for operand in node.operands where !visited[operand.index] {
                visited[operand.index] = true
                stack.append(operand)
            }
        }
    }

    private mutating func reportUnreachedNodeErrors() {
        for (index, node) in module.nodes.enumerated() where !visited[index] {
            if let error = node.error { report("\(error) (in an expression no statement uses)", at: module.location) }
        }
    }

    private func isPoisoned(_ id: ExprID) -> Bool { module.nodes[id.index].poisoned }
    private func type(_ id: ExprID) -> HWType { module.nodes[id.index].type }

    // MARK: Statements

    private mutating func checkBlock(_ block: [Statement], conditions: [ExprID]) {
        var assignedHere: [SignalID: SourceLocation] = [:]
        for statement in block {
            let location = statement.location
            switch statement.kind {
            case .assign(let target, let value):
                checkExpression(value, at: location)
                checkAssignment(target: target, value: value, at: location)
                if let previous = assignedHere[target] {
                    report("multiple drivers: '\(name(target))' is already assigned at \(previous) in the same block", at: location)
                } else {
                    assignedHere[target] = location
                }
                if firstAssignment[target.index] == nil { firstAssignment[target.index] = location }
                let kind = module.signals[target.index].kind
                if kind.isAssignable, !kind.isRegister {
                    combinationalInputs[target.index].append(value)
                    combinationalInputs[target.index] += conditions
                }
            case .when(let condition, _, _):
                checkExpression(condition, at: location)
                if !isPoisoned(condition), type(condition).width != 1 {
                    report("width mismatch: a When condition must be 1 bit, got \(type(condition).width) bits", at: location)
                }
            case .switchOn(let subject, let cases, _):
                checkExpression(subject, at: location)
                for item in cases {
                    for value in item.values where value.width != type(subject).width {
                        report("width mismatch: \(value.width)-bit case value for a \(type(subject).width)-bit subject", at: item.location)
                    }
                }
            case .memoryWrite(let memory, let address, let data):
                checkExpression(address, at: location)
                checkExpression(data, at: location)
                checkMemoryAccess(memory, address: address, data: type(data), dataPoisoned: isPoisoned(data), at: location)
            case .memoryRead(let memory, let address, let data):
                checkExpression(address, at: location)
                checkMemoryAccess(memory, address: address, data: module.signals[data.index].type, dataPoisoned: false, at: location)
            }
            // What a nested block assigns depends on the condition or subject that selects it.
            for nested in statement.nestedBlocks {
                checkBlock(nested, conditions: conditions + statement.expressions)
            }
        }
    }

    private mutating func checkAssignment(target: SignalID, value: ExprID, at location: SourceLocation) {
        let decl = module.signals[target.index]
        switch decl.kind {
        case .input:
            report("multiple drivers: '\(decl.name)' is an input port, driven from outside", at: location)
            return
        case .instanceOutput(let instance, _):
            report("multiple drivers: '\(decl.name)' is driven by instance '\(module.instances[instance].name)'", at: location)
            return
        case .memoryReadData(let memory):
            report("multiple drivers: '\(decl.name)' is driven by memory '\(module.memories[memory.index].name)'", at: location)
            return
        case .output, .wire, .register, .instanceInput:
            break
        }
        guard !isPoisoned(value) else { return }
        let valueType = type(value)
        if valueType.width != decl.type.width {
            report("width mismatch: cannot assign a \(valueType.width)-bit value to \(decl.type.width)-bit '\(decl.name)' (use zext/sext/truncate)", at: location)
        } else if valueType.isSigned != decl.type.isSigned {
            report("signedness mismatch: cannot assign a \(valueType.isSigned ? "signed" : "unsigned") value to \(decl.type.isSigned ? "signed" : "unsigned") '\(decl.name)' (use asSigned/asUnsigned)", at: location)
        }
    }

    private mutating func checkMemoryAccess(_ memory: MemoryID, address: ExprID, data: HWType, dataPoisoned: Bool,
                                            at location: SourceLocation) {
        let decl = module.memories[memory.index]
        if !isPoisoned(address), type(address).width != decl.addressWidth || type(address).isSigned {
            report("width mismatch: memory '\(decl.name)' needs a \(decl.addressWidth)-bit unsigned address, got \(type(address))", at: location)
        } else if case .constant(let value) = module.nodes[address.index].op, value.low64 >= UInt64(decl.depth) {
            // Strict front ends (slang) reject the constant index outright; found by the DSL fuzzer.
            report("out of range: memory '\(decl.name)' has \(decl.depth) words, constant address \(value.low64) is beyond them", at: location)
        }
        if !dataPoisoned, data != decl.elementType {
            report("width mismatch: memory '\(decl.name)' holds \(decl.elementType) words, got \(data)", at: location)
        }
    }

    // MARK: Drivers

    private mutating func checkDrivers() {
        for (index, signal) in module.signals.enumerated() where signal.kind.isAssignable && firstAssignment[index] == nil {
            let what: String
            switch signal.kind {
            case .output: what = "output"
            case .register: what = "register"
            case .instanceInput(let instance, let port): what = "input '\(port)' of instance '\(module.instances[instance].name)', wire"
            default: what = "wire"
            }
            report("undriven: \(what) '\(signal.name)' is never assigned", at: signal.location)
        }
    }

    // MARK: Latches

    /// Combinational signals assigned on some path but not on every path through the body.
    private mutating func checkLatches() {
        let always = definitelyAssigned(module.statements)
        for (index, signal) in module.signals.enumerated() {
            guard let first = firstAssignment[index], !signal.kind.isRegister, !always.contains(SignalID(index)) else { continue }
            report("latch: '\(signal.name)' is not assigned on every path (assign a default first, or add Otherwise/Default)", at: first)
        }
    }

    private func definitelyAssigned(_ block: [Statement]) -> Set<SignalID> {
        var result = Set<SignalID>()
        for statement in block {
            switch statement.kind {
            case .assign(let target, _):
                result.insert(target)
                continue
            case .memoryWrite, .memoryRead:
                continue
            case .when:
                // An empty `otherwise` is a path that assigns nothing.
                break
            case .switchOn(let subject, let cases, let otherwise):
                let width = type(subject).width
                let covered = cases.reduce(0) { $0 + $1.values.count }
                guard otherwise != nil || (width < 30 && covered >= 1 << width) else { continue }
            }
            // Assigned on every path: in every nested block.
            let paths = statement.nestedBlocks.map(definitelyAssigned)
            if let first = paths.first { result.formUnion(paths.dropFirst().reduce(first) { $0.intersection($1) }) }
        }
        return result
    }

    // MARK: Combinational loops

    /// Depth-first search over signals and nodes; registers, inputs, memory read data and
    /// instance outputs end a combinational path (paths through instances are not followed).
    private mutating func checkCombinationalLoops() {
        let signalCount = module.signals.count
        // Vertices: 0..<signalCount are signals, the rest are nodes.
        func successors(_ vertex: Int) -> [Int] {
            if vertex < signalCount { return combinationalInputs[vertex].map { $0.index + signalCount } }
            let node = module.nodes[vertex - signalCount]
            if case .signal(let id) = node.op { return combinationalInputs[id.index].isEmpty ? [] : [id.index] }
            return node.operands.map { $0.index + signalCount }
        }
        var state = [UInt8](repeating: 0, count: signalCount + module.nodes.count) // 0 new, 1 open, 2 done
        var reported = Set<[Int]>()
        for start in 0..<signalCount where !combinationalInputs[start].isEmpty && state[start] == 0 {
            var stack: [(vertex: Int, next: [Int], position: Int)] = [(start, successors(start), 0)]
            state[start] = 1
            while !stack.isEmpty {
                let top = stack.count - 1
                if stack[top].position == stack[top].next.count {
                    state[stack[top].vertex] = 2
                    stack.removeLast()
                    continue
                }
                let successor = stack[top].next[stack[top].position]
                stack[top].position += 1
                if state[successor] == 1 {
                    let from = stack.lastIndex { $0.vertex == successor } ?? 0
                    let cycle = stack[from...].map(\.vertex).filter { $0 < signalCount }
                    if reported.insert(cycle.sorted()).inserted { reportLoop(cycle) }
                } else if state[successor] == 0 {
                    state[successor] = 1
                    stack.append((successor, successors(successor), 0))
                }
            }
        }
    }

    private mutating func reportLoop(_ found: [Int]) {
        // Start at the first declared signal so the report does not depend on search order.
        guard let start = found.indices.min(by: { found[$0] < found[$1] }) else { return }
        let cycle = Array(found[start...] + found[..<start])
        let first = cycle[0]
        let names = (cycle + [first]).map { module.signals[$0].name }.joined(separator: " -> ")
        let location = firstAssignment[first] ?? module.signals[first].location
        report("combinational loop: \(names)", at: location)
    }
}

/// SystemVerilog identifier rules shared by the checker and the emitter.
enum Identifier {
    /// Letters, digits, `_` and `$`, not starting with a digit, `$` or `_` (the emitter's
    /// temporaries own the `_` prefix).
    static func isValid(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII,
              first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }
}
