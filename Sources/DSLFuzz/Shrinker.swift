import Cosim
import Foundation
import Golden
import HDL

/// Reduces a design that disagrees on a simulator to a smaller one that still disagrees on the
/// same output: keeps that output only, replaces expression nodes by zero (halves, then quarters,
/// ... then one by one), flattens `When`/`Switch` to one branch, drops register and memory
/// updates, then removes everything the output no longer depends on. Each candidate is
/// elaborated (so it stays legal) and co-simulated against the IR simulator.
public struct Shrinker {
    public let simulator: FuzzSimulator
    /// The design's own output port that disagrees.
    public let port: String
    public let seed: UInt64
    public let warmUp: Int
    public let cycles: Int
    /// Co-simulations run so far (each one a build on `simulator`).
    public private(set) var trials = 0
    /// Co-simulations allowed: past them the smallest design so far is the result.
    public var maxTrials = 300
    /// Extra `verilator` flags (as `DifferentialFuzz.verilatorFlags`).
    public var verilatorFlags: [String] = []

    public init(simulator: FuzzSimulator, port: String, seed: UInt64, warmUp: Int, cycles: Int = 200) {
        self.simulator = simulator
        self.port = port
        self.seed = seed
        self.warmUp = warmUp
        self.cycles = cycles
    }

    /// The first disagreement of `module` on `port`, or nil (also when it does not elaborate).
    public mutating func failure(of module: Module) -> Mismatch? {
        guard trials < maxTrials else { return nil }
        trials += 1
        guard let design = try? Design(top: module), let verilog = try? VerilogDesign(design),
              let run = try? ReferenceRun(verilog, seed: seed, stream: 0x5348_524B, warmUp: warmUp, cycles: cycles) else { return nil }
        let target: VerilogDesign
        if simulator == .yosysNetlist {
            guard let netlist = try? YosysNetlist.synthesize(SystemVerilogEmitter().emit(design), top: design.top),
                  let t = try? YosysNetlist.design(netlist, like: verilog) else { return nil }
            target = t
        } else {
            target = verilog
        }
        guard let outcome = try? run.compare(target, on: simulator, verilatorFlags: verilatorFlags) else { return nil }
        return outcome.mismatches.first { $0.port.name == port }
    }

    /// The smallest variant of `module` found that still fails; nil when `module` itself does
    /// not fail alone (the batch's stimulus differs from the one used here).
    public mutating func shrink(_ module: Module) -> (module: Module, mismatch: Mismatch)? {
        guard let first = failure(of: module) else { return nil }
        var best: (module: Module, mismatch: Mismatch) = (module, first)
        func attempt(_ candidate: Module, _ shrinker: inout Shrinker) -> Bool {
            guard let m = shrinker.failure(of: candidate) else { return false }
            best = (candidate, m)
            return true
        }
        _ = attempt(Self.compact(Self.keepingOnly(port, of: best.module)), &self)
        // Expression nodes to zero, largest groups first.
        var chunk = max(1, best.module.nodes.count / 2)
        while true {
            var start = 0
            while start < best.module.nodes.count {
                let range = start..<min(start + chunk, best.module.nodes.count)
                let candidate = Self.zeroing(range, in: best.module)
                if candidate != best.module, attempt(Self.compact(candidate), &self) { continue }
                start += chunk
            }
            if chunk == 1 { break }
            chunk /= 2
        }
        // Each node replaced by one of its operands of the same type (a mux by a branch, ...).
        var i = best.module.nodes.count - 1
        while i >= 0 {
            if i < best.module.nodes.count {
                let node = best.module.nodes[i]
                for operand in node.operands where best.module.nodes[operand.index].type == node.type {
                    var candidate = best.module
                    candidate.nodes[i].op = best.module.nodes[operand.index].op
                    if attempt(Self.compact(candidate), &self) { break }
                }
            }
            i -= 1
        }
        // Statements: each When/Switch to one branch, each sequential update dropped.
        var changed = true
        while changed {
            changed = false
            for candidate in Self.statementVariants(best.module) where attempt(Self.compact(candidate), &self) {
                changed = true
                break
            }
        }
        return best
    }

    /// `module` with every output but `port` turned into a wire.
    static func keepingOnly(_ port: String, of module: Module) -> Module {
        var m = module
        for id in m.ports where m.signals[id.index].kind == .output && m.signals[id.index].name != port {
            m.signals[id.index].kind = .wire
        }
        m.ports.removeAll { m.signals[$0.index].kind == .wire }
        return m
    }

    /// `module` with the nodes of `range` (but signal reads of clock and reset) replaced by zero.
    static func zeroing(_ range: Range<Int>, in module: Module) -> Module {
        var m = module
        for i in range {
            if case .constant(let v) = m.nodes[i].op, v.isZero { continue }
            m.nodes[i] = Node(op: .constant(BitVector(width: m.nodes[i].type.width)), type: m.nodes[i].type)
        }
        return m
    }

    /// Every one-step simplification of the statements.
    static func statementVariants(_ module: Module) -> [Module] {
        var variants: [[Statement]] = []
        func walk(_ block: [Statement], rebuild: @escaping ([Statement]) -> [Statement]) {
            for (i, s) in block.enumerated() {
                let replace = { (with: [Statement]) in rebuild(Array(block[..<i]) + with + Array(block[(i + 1)...])) }
                switch s.kind {
                case .when(let c, let then, let otherwise):
                    variants.append(replace(then))
                    variants.append(replace(otherwise))
                    walk(then) { replace([Statement(.when(condition: c, then: $0, otherwise: otherwise), location: s.location)]) }
                    walk(otherwise) { replace([Statement(.when(condition: c, then: then, otherwise: $0), location: s.location)]) }
                case .switchOn(_, let cases, let otherwise):
                    for c in cases { variants.append(replace(c.body)) }
                    if let otherwise { variants.append(replace(otherwise)) }
                case .assign(let target, _) where module.signals[target.index].kind.isRegister:
                    variants.append(replace([]))
                case .memoryWrite:
                    variants.append(replace([]))
                default: break
                }
            }
        }
        walk(module.statements) { $0 }
        return variants.map { statements in
            var m = module
            m.statements = statements
            return m
        }
    }

    /// `module` without what its outputs do not depend on: statements, signals, nodes,
    /// memories and instances, renumbered. Inputs stay (they fix the stimulus).
    public static func compact(_ module: Module) -> Module {
        var liveSignals = Set(module.ports.map(\.index))
        var liveNodes = Set<Int>(), liveMemories = Set<Int>(), liveInstances = Set<Int>()
        func markNode(_ id: ExprID) {
            var stack = [id.index]
            while let n = stack.popLast() {
                guard liveNodes.insert(n).inserted else { continue }
                if case .signal(let s) = module.nodes[n].op { liveSignals.insert(s.index) }
                stack += module.nodes[n].operands.map(\.index)
            }
        }
        // Statements with the conditions that guard them.
        var guarded: [(Statement, [ExprID])] = []
        func collect(_ block: [Statement], _ conditions: [ExprID]) {
            for s in block {
                switch s.kind {
                case .when(let c, let then, let otherwise):
                    collect(then, conditions + [c]); collect(otherwise, conditions + [c])
                case .switchOn(let subject, let cases, let otherwise):
                    for c in cases { collect(c.body, conditions + [subject]) }
                    if let otherwise { collect(otherwise, conditions + [subject]) }
                default: guarded.append((s, conditions))
                }
            }
        }
        collect(module.statements, [])
        var changed = true
        while changed {
            let before = liveSignals.count + liveNodes.count + liveMemories.count + liveInstances.count
            for (index, s) in module.signals.enumerated() where liveSignals.contains(index) {
                switch s.kind {
                case .register(let spec): if let e = spec.enable { markNode(e) }
                case .instanceOutput(let i, _): liveInstances.insert(i)
                case .memoryReadData(let m): liveMemories.insert(m.index)
                default: break
                }
            }
            for (index, instance) in module.instances.enumerated() where liveInstances.contains(index) {
                for b in instance.bindings { liveSignals.insert(b.signal.index) }
            }
            for (s, conditions) in guarded {
                let live: Bool
                switch s.kind {
                case .assign(let target, let value):
                    live = liveSignals.contains(target.index)
                    if live { markNode(value) }
                case .memoryWrite(let m, let address, let data):
                    live = liveMemories.contains(m.index)
                    if live { markNode(address); markNode(data) }
                case .memoryRead(let m, let address, let data):
                    live = liveMemories.contains(m.index) || liveSignals.contains(data.index)
                    if live { liveMemories.insert(m.index); liveSignals.insert(data.index); markNode(address) }
                default: live = false
                }
                if live { conditions.forEach(markNode) }
            }
            changed = liveSignals.count + liveNodes.count + liveMemories.count + liveInstances.count != before
        }
        // Renumber.
        let signalMap = Dictionary(uniqueKeysWithValues: liveSignals.sorted().enumerated().map { ($1, $0) })
        let nodeMap = Dictionary(uniqueKeysWithValues: liveNodes.sorted().enumerated().map { ($1, $0) })
        let memoryMap = Dictionary(uniqueKeysWithValues: liveMemories.sorted().enumerated().map { ($1, $0) })
        let instanceMap = Dictionary(uniqueKeysWithValues: liveInstances.sorted().enumerated().map { ($1, $0) })
        func sig(_ id: SignalID) -> SignalID { SignalID(signalMap[id.index]!) }
        func node(_ id: ExprID) -> ExprID { ExprID(nodeMap[id.index]!) }
        var m = module
        m.signals = liveSignals.sorted().map { index in
            var s = module.signals[index]
            switch s.kind {
            case .register(var spec): spec.enable = spec.enable.map(node); s.kind = .register(spec)
            case .instanceInput(let i, let p): s.kind = .instanceInput(instance: instanceMap[i]!, port: p)
            case .instanceOutput(let i, let p): s.kind = .instanceOutput(instance: instanceMap[i]!, port: p)
            case .memoryReadData(let mem): s.kind = .memoryReadData(MemoryID(memoryMap[mem.index]!))
            default: break
            }
            return s
        }
        m.ports = module.ports.map(sig)
        m.clock = module.clock.map(sig)
        m.reset = module.reset.map(sig)
        m.nodes = liveNodes.sorted().map { index in
            var n = module.nodes[index]
            switch n.op {
            case .signal(let s): n.op = .signal(sig(s))
            case .unary(let op, let a): n.op = .unary(op, node(a))
            case .binary(let op, let a, let b): n.op = .binary(op, node(a), node(b))
            case .mux(let c, let t, let f): n.op = .mux(condition: node(c), ifTrue: node(t), ifFalse: node(f))
            case .concat(let parts): n.op = .concat(parts.map(node))
            case .slice(let a, let low): n.op = .slice(node(a), low: low)
            case .zeroExtend(let a): n.op = .zeroExtend(node(a))
            case .signExtend(let a): n.op = .signExtend(node(a))
            case .truncate(let a): n.op = .truncate(node(a))
            case .reinterpret(let a): n.op = .reinterpret(node(a))
            case .constant, .invalid: break
            }
            return n
        }
        func rewrite(_ block: [Statement]) -> [Statement] {
            block.compactMap { s in
                var s = s
                switch s.kind {
                case .assign(let target, let value):
                    guard liveSignals.contains(target.index) else { return nil }
                    s.kind = .assign(target: sig(target), value: node(value))
                case .memoryWrite(let mem, let address, let data):
                    guard liveMemories.contains(mem.index) else { return nil }
                    s.kind = .memoryWrite(MemoryID(memoryMap[mem.index]!), address: node(address), data: node(data))
                case .memoryRead(let mem, let address, let data):
                    guard liveMemories.contains(mem.index) else { return nil }
                    s.kind = .memoryRead(MemoryID(memoryMap[mem.index]!), address: node(address), data: sig(data))
                case .when(let c, let then, let otherwise):
                    let t = rewrite(then), o = rewrite(otherwise)
                    guard !t.isEmpty || !o.isEmpty else { return nil }
                    s.kind = .when(condition: node(c), then: t, otherwise: o)
                case .switchOn(let subject, var cases, let otherwise):
                    for i in cases.indices { cases[i].body = rewrite(cases[i].body) }
                    let o = otherwise.map(rewrite)
                    guard cases.contains(where: { !$0.body.isEmpty }) || !(o ?? []).isEmpty else { return nil }
                    s.kind = .switchOn(subject: node(subject), cases: cases, otherwise: o)
                }
                return s
            }
        }
        m.statements = rewrite(module.statements)
        m.memories = liveMemories.sorted().map { module.memories[$0] }
        m.instances = liveInstances.sorted().map { index in
            var i = module.instances[index]
            i.bindings = i.bindings.map { PortBinding(port: $0.port, signal: sig($0.signal)) }
            return i
        }
        let usedModules = Set(m.instances.map(\.moduleName))
        m.submodules = module.submodules.filter { usedModules.contains($0.name) }
        m.coverPoints = module.coverPoints.filter { liveSignals.contains($0.signal.index) }.map {
            CoverPoint(name: $0.name, signal: sig($0.signal), location: $0.location)
        }
        return m
    }
}
