/// Prints one legalized module as SystemVerilog. It makes no naming or structural decisions:
/// those are in `LegalizedModule`; this only arranges statements into `assign`, `always_comb`
/// and `always_ff` blocks and prints expressions with every extension explicit.
struct SystemVerilogPrinter {
    let legal: LegalizedModule
    let options: EmitOptions
    /// Legalized port names of every module printed before this one (children first).
    let childPortNames: [String: [String: String]]
    private var out = ""

    init(_ legal: LegalizedModule, options: EmitOptions, childPortNames: [String: [String: String]]) {
        self.legal = legal
        self.options = options
        self.childPortNames = childPortNames
    }

    private var module: Module { legal.module }

    mutating func print() -> String {
        if let header = options.header { line(0, "// \(header)") }
        printHeader()
        printDeclarations()
        printTemporaries()
        printCombinational()
        printRegisters()
        printMemories()
        printInstances()
        printCoverPoints()
        line(0, "endmodule")
        return out
    }

    private mutating func line(_ level: Int, _ text: String, _ location: SourceLocation? = nil) {
        out += String(repeating: options.indent, count: level) + text
        if options.sourceLocators, let location { out += " // \(location)" }
        out += "\n"
    }

    private func range(_ type: HWType) -> String {
        (type.isSigned ? "signed " : "") + (type.width == 1 && !type.isSigned ? "" : "[\(type.width - 1):0] ")
    }

    // MARK: Declarations

    private mutating func printHeader() {
        guard !module.ports.isEmpty else { line(0, "module \(legal.name);"); return }
        line(0, "module \(legal.name) (")
        for (index, port) in module.ports.enumerated() {
            let decl = module[signal: port]
            let direction = decl.kind == .input ? "input " : "output"
            let comma = index == module.ports.count - 1 ? "" : ","
            line(1, "\(direction) logic \(range(decl.type))\(legal.signalNames[port.index])\(comma)", decl.location)
        }
        line(0, ");")
    }

    private mutating func printDeclarations() {
        let covers = Set(module.coverPoints.map(\.signal.index))
        for (index, decl) in module.signals.enumerated() where decl.kind != .input && decl.kind != .output && !covers.contains(index) {
            line(1, "logic \(range(decl.type))\(legal.signalNames[index]);", decl.location)
        }
        if !covers.isEmpty {
            // Cover-point wires are read only by the coverage build (`NORMFORGE_COVER`).
            line(1, "/* verilator lint_off UNUSEDSIGNAL */")
            for point in module.coverPoints {
                line(1, "logic \(legal.signalNames[point.signal.index]);", point.location)
            }
            line(1, "/* verilator lint_on UNUSEDSIGNAL */")
        }
        for (index, memory) in module.memories.enumerated() {
            line(1, "logic \(range(memory.elementType))\(legal.memoryNames[index]) [0:\(memory.depth - 1)];", memory.location)
        }
    }

    /// Immediate `cover` statements, seen only with `+define+NORMFORGE_COVER` (Verilator
    /// `--coverage-user` counts them; Icarus 11 and Yosys do not parse immediate covers). With a
    /// clock they count the rising edges where the condition holds; in a combinational module,
    /// the evaluations where it does.
    private mutating func printCoverPoints() {
        guard !module.coverPoints.isEmpty else { return }
        line(0, "`ifdef NORMFORGE_COVER")
        line(1, module.clock.map { "always_ff @(posedge \(legal.signalNames[$0.index])) begin" } ?? "always_comb begin")
        for point in module.coverPoints {
            let wire = legal.signalNames[point.signal.index]
            line(2, "\(wire)_hit: cover (\(wire));", point.location)
        }
        line(1, "end")
        line(0, "`endif")
    }

    private mutating func printTemporaries() {
        let temps = module.nodes.indices.filter { legal.temporaries[$0] != nil && legal.reachable[$0] }
        guard !temps.isEmpty else { return }
        // Temporaries of explicit truncations and slices are partly read by design.
        line(1, "/* verilator lint_off UNUSEDSIGNAL */")
        for index in temps {
            line(1, "logic \(range(module.nodes[index].type))\(legal.temporaries[index]!);")
        }
        line(1, "/* verilator lint_on UNUSEDSIGNAL */")
        for index in temps {
            line(1, "assign \(legal.temporaries[index]!) = \(definition(ExprID(index)));")
        }
    }

    // MARK: Statement grouping

    /// The targets and memories a root statement touches.
    private struct Footprint {
        var targets: [SignalID]
        var memories: [MemoryID]
    }

    private lazy var footprints: [Footprint] = module.statements.map { statement in
        let walk = [statement].allStatements
        return Footprint(targets: walk.compactMap(\.assignedSignal), memories: walk.compactMap(\.accessedMemory))
    }

    private func isCombinational(_ id: SignalID) -> Bool { !module[signal: id].kind.isRegister }

    /// Combinational signals driven by exactly one unconditional top-level assignment print as
    /// `assign`; the others go to `always_comb` blocks, one per set of top-level statements that
    /// share targets (so a default and its overrides stay together).
    private mutating func printCombinational() {
        var count = [Int](repeating: 0, count: module.signals.count)
        for footprint in footprints { for target in footprint.targets { count[target.index] += 1 } }
        var simple = [Bool](repeating: false, count: module.signals.count)
        for statement in module.statements {
            if case .assign(let target, _) = statement.kind, count[target.index] == 1, isCombinational(target) {
                simple[target.index] = true
            }
        }
        for statement in module.statements {
            if case .assign(let target, let value) = statement.kind, simple[target.index] {
                line(1, "assign \(legal.signalNames[target.index]) = \(expression(value, top: true));", statement.location)
            }
        }
        let inBlock: (SignalID) -> Bool = { [module] id in !module[signal: id].kind.isRegister && !simple[id.index] }
        for group in module.statementGroups(sharingTargetsWhere: inBlock) {
            var written: [SignalID] = []
            for root in group {
                for target in footprints[root].targets where inBlock(target) && !written.contains(target) { written.append(target) }
            }
            // A block that reads a signal it writes would see an intermediate value in
            // SystemVerilog (statements run in order); the IR means the final value, which
            // one block per signal gives.
            let read = signalsRead(by: group.map { module.statements[$0] })
            let blocks: [(SignalID) -> Bool] = written.contains(where: { read.contains($0) })
                ? written.map { signal in { $0 == signal } }
                : [inBlock]
            for writes in blocks {
                line(1, "always_comb begin")
                for root in group {
                    printBlock(filter([module.statements[root]], targets: writes, memory: nil), level: 2, blocking: true)
                }
                line(1, "end")
            }
        }
    }

    /// Every signal the expressions of `block` read, directly or through other nodes.
    private func signalsRead(by block: [Statement]) -> Set<SignalID> {
        var roots = block.allExpressions
        var seen = Set<ExprID>()
        var result = Set<SignalID>()
        while let id = roots.popLast() {
            guard seen.insert(id).inserted else { continue }
            let node = module[node: id]
            if case .signal(let signal) = node.op { result.insert(signal) }
            roots += node.operands
        }
        return result
    }

    private struct RegisterGroup: Hashable {
        var hasReset: Bool
        var enable: ExprID?
    }

    /// One `always_ff` per (reset, enable) combination.
    private mutating func printRegisters() {
        var groupOf: [SignalID: RegisterGroup] = [:]
        var order: [RegisterGroup] = []
        for (index, decl) in module.signals.enumerated() {
            guard case .register(let spec) = decl.kind else { continue }
            let group = RegisterGroup(hasReset: spec.reset != nil, enable: spec.enable)
            if !order.contains(group) { order.append(group) }
            groupOf[SignalID(index)] = group
        }
        guard let clock = module.clock else { return }
        for group in order {
            let member: (SignalID) -> Bool = { groupOf[$0] == group }
            let roots = footprints.indices.filter { footprints[$0].targets.contains(where: member) }
            let body = roots.flatMap { filter([module.statements[$0]], targets: member, memory: nil) }
            line(1, "always_ff @(posedge \(legal.signalNames[clock.index])) begin")
            var level = 2
            if group.hasReset, let reset = module.reset {
                line(2, "if (\(legal.signalNames[reset.index])) begin")
                for (index, decl) in module.signals.enumerated() where member(SignalID(index)) {
                    if case .register(let spec) = decl.kind, let value = spec.reset {
                        line(3, "\(legal.signalNames[index]) <= \(constant(value, signed: decl.type.isSigned));")
                    }
                }
                if let enable = group.enable {
                    line(2, "end else if (\(expression(enable, top: true))) begin")
                } else {
                    line(2, "end else begin")
                }
                level = 3
            } else if let enable = group.enable {
                line(2, "if (\(expression(enable, top: true))) begin")
                level = 3
            }
            printBlock(body, level: level, blocking: false)
            if level == 3 { line(2, "end") }
            line(1, "end")
        }
    }

    /// One `always_ff` per memory with its writes and read ports (the shape Yosys maps to RAM).
    private mutating func printMemories() {
        guard let clock = module.clock else { return }
        for index in module.memories.indices {
            let memory = MemoryID(index)
            let roots = footprints.indices.filter { footprints[$0].memories.contains(memory) }
            line(1, "always_ff @(posedge \(legal.signalNames[clock.index])) begin")
            printBlock(roots.flatMap { filter([module.statements[$0]], targets: { _ in false }, memory: memory) },
                       level: 2, blocking: false)
            line(1, "end")
        }
    }

    private mutating func printInstances() {
        for (index, instance) in module.instances.enumerated() {
            let names = childPortNames[instance.moduleName] ?? [:]
            line(1, "\(names[""] ?? instance.moduleName) \(legal.instanceNames[index]) (", instance.location)
            for (position, binding) in instance.bindings.enumerated() {
                let comma = position == instance.bindings.count - 1 ? "" : ","
                line(2, ".\(names[binding.port] ?? binding.port)(\(legal.signalNames[binding.signal.index]))\(comma)")
            }
            line(1, ");")
        }
    }

    // MARK: Statements

    /// The part of `block` that drives `targets` (or accesses `memory`), keeping its structure.
    private func filter(_ block: [Statement], targets: (SignalID) -> Bool, memory: MemoryID?) -> [Statement] {
        block.filtered { leaf in
            if let target = leaf.assignedSignal { return targets(target) }
            return memory != nil && leaf.accessedMemory == memory
        }
    }

    private mutating func printBlock(_ block: [Statement], level: Int, blocking: Bool) {
        let arrow = blocking ? "=" : "<="
        for statement in block {
            switch statement.kind {
            case .assign(let target, let value):
                line(level, "\(legal.signalNames[target.index]) \(arrow) \(expression(value, top: true));", statement.location)
            case .when(let condition, let then, let otherwise):
                line(level, "if (\(expression(condition, top: true))) begin", statement.location)
                printBlock(then, level: level + 1, blocking: blocking)
                var rest = otherwise
                // Print `else if` chains flat instead of nesting them.
                while rest.count == 1, case .when(let c, let t, let o) = rest[0].kind {
                    line(level, "end else if (\(expression(c, top: true))) begin", rest[0].location)
                    printBlock(t, level: level + 1, blocking: blocking)
                    rest = o
                }
                if !rest.isEmpty {
                    line(level, "end else begin")
                    printBlock(rest, level: level + 1, blocking: blocking)
                }
                line(level, "end")
            case .switchOn(let subject, let cases, let otherwise):
                let signed = module[node: subject].type.isSigned
                line(level, "case (\(expression(subject, top: true)))", statement.location)
                for arm in printedArms(cases, level: level + 2, blocking: blocking) {
                    let labels = arm.values.map { constant($0, signed: signed) }.joined(separator: ", ")
                    line(level + 1, "\(labels): begin", arm.location)
                    out += arm.body
                    line(level + 1, "end")
                }
                line(level + 1, "default: begin")
                printBlock(otherwise ?? [], level: level + 2, blocking: blocking)
                line(level + 1, "end")
                line(level, "endcase")
            case .memoryWrite(let memory, let address, let data):
                line(level, "\(legal.memoryNames[memory.index])[\(expression(address, top: true))] <= \(expression(data, top: true));",
                     statement.location)
            case .memoryRead(let memory, let address, let data):
                line(level, "\(legal.signalNames[data.index]) <= \(legal.memoryNames[memory.index])[\(expression(address, top: true))];",
                     statement.location)
            }
        }
    }

    /// Each arm's labels, location and printed body, an arm whose body prints the same as an
    /// earlier arm's folded into that arm's labels (first arm's place and location). Yosys before
    /// 0.66 miscompiles a `case` whose separate arms assign the same value (`opt_muxtree`,
    /// yosys#5957; the DSL fuzzer's seed 1 design 34), and one arm with two labels reads better
    /// anyway. Arms are left alone when a label repeats, where moving one would change which arm
    /// wins.
    private mutating func printedArms(_ cases: [SwitchCase], level: Int,
                                      blocking: Bool) -> [(values: [BitVector], location: SourceLocation, body: String)] {
        let labels = cases.flatMap(\.values)
        let merge = Set(labels).count == labels.count
        var arms: [(values: [BitVector], location: SourceLocation, body: String)] = []
        var index: [String: Int] = [:]
        for item in cases {
            let saved = out
            out = ""
            printBlock(item.body, level: level, blocking: blocking)
            let body = out
            out = saved
            // Source locators differ between arms that do the same: compare without them.
            let key = body.split(separator: "\n").map { $0.split(separator: " //").first.map(String.init) ?? "" }.joined(separator: "\n")
            if merge, let i = index[key] {
                arms[i].values += item.values
            } else {
                index[key] = arms.count
                arms.append((item.values, item.location, body))
            }
        }
        return arms
    }

    // MARK: Expressions

    private func constant(_ value: BitVector, signed: Bool) -> String {
        "\(value.width)'\(signed ? "s" : "")h\(value.hexDigits)"
    }

    /// A node as an operand: its temporary's name, or its inline text (parenthesized unless `top`).
    private func expression(_ id: ExprID, top: Bool = false) -> String {
        if let name = legal.temporaries[id.index] { return name }
        let text = definition(id)
        switch module[node: id].op {
        case .signal, .constant, .slice, .truncate, .concat, .zeroExtend, .signExtend, .reinterpret:
            return text
        default:
            return top ? text : "(\(text))"
        }
    }

    /// A node extended to `width` by its own signedness (the legalizer made it a name if needed).
    private func extended(_ id: ExprID, to width: Int) -> String {
        let node = module[node: id]
        if node.type.width == width { return expression(id) }
        if case .constant(let value) = node.op {
            let bits = node.type.isSigned && value.bit(value.width - 1)
                ? BitVector(words: signExtendedWords(value, to: width), width: width)
                : BitVector(words: value.words, width: width)
            return constant(bits, signed: node.type.isSigned)
        }
        return "\(width)'(\(expression(id)))"
    }

    private func signExtendedWords(_ value: BitVector, to width: Int) -> [UInt64] {
        var words = [UInt64](repeating: ~0, count: (width + 63) / 64)
        for i in 0..<value.width where !value.bit(i) { words[i / 64] &= ~(UInt64(1) << UInt64(i % 64)) }
        return words
    }

    /// The text computing node `id` at exactly its own width and signedness.
    private func definition(_ id: ExprID) -> String {
        let node = module[node: id]
        let width = node.type.width
        switch node.op {
        case .signal(let signal):
            return legal.signalNames[signal.index]
        case .constant(let value):
            return constant(value, signed: node.type.isSigned)
        case .unary(let op, let a):
            let symbol = ["not": "~", "andReduce": "&", "orReduce": "|", "xorReduce": "^"][op.rawValue]!
            let operand = expression(a)
            // Yosys 0.23 reads `~8'(x)` as `(~8)'(x)` ("Static cast with zero or negative size"):
            // a size cast after a prefix operator is parenthesized (found by the DSL fuzzer).
            let digits = operand.prefix { $0.isNumber }
            let isCast = !digits.isEmpty && operand.dropFirst(digits.count).hasPrefix("'(")
            return symbol + (isCast ? "(\(operand))" : operand)
        case .binary(let op, let a, let b):
            switch op {
            case .add, .sub, .mul:
                let symbol = op == .add ? "+" : op == .sub ? "-" : "*"
                return "\(extended(a, to: width)) \(symbol) \(extended(b, to: width))"
            case .and, .or, .xor:
                let symbol = op == .and ? "&" : op == .or ? "|" : "^"
                return "\(expression(a)) \(symbol) \(expression(b))"
            case .eq, .ne, .lt, .le, .gt, .ge:
                let symbols: [BinaryOp: String] = [.eq: "==", .ne: "!=", .lt: "<", .le: "<=", .gt: ">", .ge: ">="]
                let common = max(module[node: a].type.width, module[node: b].type.width)
                return "\(extended(a, to: common)) \(symbols[op]!) \(extended(b, to: common))"
            case .shiftLeft:
                return "\(extended(a, to: width)) << \(expression(b))"
            case .shiftRight:
                return "\(expression(a)) \(node.type.isSigned ? ">>>" : ">>") \(expression(b))"
            }
        case .mux(let condition, let ifTrue, let ifFalse):
            return "\(expression(condition)) ? \(expression(ifTrue)) : \(expression(ifFalse))"
        case .concat(let parts):
            return "{" + parts.map { expression($0, top: true) }.joined(separator: ", ") + "}"
        case .slice(let base, let low):
            let baseType = module[node: base].type
            if baseType.width == width { return baseType.isSigned ? "$unsigned(\(expression(base)))" : expression(base) }
            return width == 1 ? "\(expression(base))[\(low)]" : "\(expression(base))[\(low + width - 1):\(low)]"
        case .truncate(let base):
            let bits = width == 1 ? "\(expression(base))[0]" : "\(expression(base))[\(width - 1):0]"
            return node.type.isSigned ? "$signed(\(bits))" : bits
        case .zeroExtend(let a):
            let padded = "{\(width - module[node: a].type.width)'h0, \(expression(a, top: true))}"
            return node.type.isSigned ? "$signed(\(padded))" : padded
        case .signExtend(let a):
            if module[node: a].type.isSigned { return "\(width)'(\(expression(a)))" }
            return "$unsigned(\(width)'($signed(\(expression(a)))))"
        case .reinterpret(let a):
            return node.type.isSigned ? "$signed(\(expression(a, top: true)))" : "$unsigned(\(expression(a, top: true)))"
        case .invalid:
            preconditionFailure("a checked design has no invalid nodes")
        }
    }
}
