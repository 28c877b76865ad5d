import Synchronization

/// The module being built: every DSL declaration and operator appends to one of these.
///
/// Module bodies run with their context installed as a task-local (`current`), so declarations
/// need no explicit parameter; each `Signal` also keeps its context, so operators append nodes
/// to the module their operands belong to. State sits behind a `Mutex` because Swift 6 requires
/// shared mutable state to be guarded; a module body runs on one thread, so it is uncontended.
final class ElaborationContext: Sendable {
    @TaskLocal static var current: ElaborationContext?

    /// Receives declarations made outside any module body, so that misuse is a diagnostic
    /// (the signal belongs to no module) instead of a trap.
    static let detached = ElaborationContext(moduleName: "<outside a module>")

    /// The context of the module body being run, or `detached`.
    static var active: ElaborationContext { current ?? detached }

    let moduleName: String
    let state: Mutex<BuildState>

    init(moduleName: String, location: SourceLocation = SourceLocation(fileID: "", line: 0)) {
        self.moduleName = moduleName
        var initial = BuildState()
        initial.location = location
        self.state = Mutex(initial)
    }

    /// Appends a node; it is poisoned when it has an error or any operand is poisoned.
    func add(_ op: Op, _ type: HWType, error: String? = nil) -> Signal {
        let id = state.withLock { s -> ExprID in
            var node = Node(op: op, type: type, error: error)
            if !node.poisoned {
                node.poisoned = node.operands.contains { s.nodes[$0.index].poisoned }
            }
            s.nodes.append(node)
            return ExprID(s.nodes.count - 1)
        }
        return Signal(context: self, id: id, type: type, declaration: nil)
    }

    /// A poisoned 1-bit value standing in for the result of a misused construct.
    func invalid(_ message: String?, type: HWType = .bool) -> Signal {
        add(.invalid, HWType(width: max(type.width, 1), isSigned: type.isSigned), error: message)
    }

    /// Declares a named signal and returns a handle that reads it.
    func declare(_ name: String, _ type: HWType, _ kind: SignalKind, at location: SourceLocation,
                 isPort: Bool = false) -> Signal {
        var type = type
        if type.width < 1 {
            report("invalid width \(type.width) for '\(name)': widths are at least 1", at: location)
            type.width = 1
        }
        let (signal, expr) = state.withLock { s -> (SignalID, ExprID) in
            let id = SignalID(s.signals.count)
            s.signals.append(SignalDecl(name: name, type: type, kind: kind, location: location))
            s.names.insert(name)
            if isPort { s.ports.append(id) }
            s.nodes.append(Node(op: .signal(id), type: type))
            return (id, ExprID(s.nodes.count - 1))
        }
        return Signal(context: self, id: expr, type: type, declaration: signal)
    }

    /// `base` if no signal of the module has that name yet, else `base_1`, `base_2`, ...
    func freshName(_ base: String) -> String {
        state.withLock { s in
            guard s.names.contains(base) else { return base }
            var suffix = 1
            while s.names.contains("\(base)_\(suffix)") { suffix += 1 }
            return "\(base)_\(suffix)"
        }
    }

    /// Records a diagnostic that is known with its location right away.
    func report(_ message: String, at location: SourceLocation) {
        state.withLock { $0.diagnostics.append(Diagnostic(message, at: location)) }
    }

    /// Adds a statement at the top level of the module (used by constructs that are declarations
    /// and statements at once, such as memory read ports).
    func addTopLevel(_ statement: Statement) {
        state.withLock { $0.topLevel.append(statement) }
    }

    /// The implicit clock input, created on first use.
    func clock() -> SignalID { implicitInput("clk", \.clock) }

    /// The implicit synchronous reset input, created on first use.
    func reset() -> SignalID { implicitInput("rst", \.reset) }

    private func implicitInput(_ name: String, _ slot: WritableKeyPath<BuildState, SignalID?>) -> SignalID {
        state.withLock { s in
            if let id = s[keyPath: slot] { return id }
            let id = SignalID(s.signals.count)
            s.signals.append(SignalDecl(name: name, type: .bool, kind: .input, location: s.location))
            s.names.insert(name)
            s.nodes.append(Node(op: .signal(id), type: .bool))
            s[keyPath: slot] = id
            return id
        }
    }

    /// Registers the definition of an instantiated module (one per name).
    func addSubmodule(_ module: Module, at location: SourceLocation) {
        let conflict = state.withLock { s -> Bool in
            if let index = s.submoduleIndex[module.name] { return s.submodules[index] != module }
            s.submoduleIndex[module.name] = s.submodules.count
            s.submodules.append(module)
            return false
        }
        if conflict {
            report("duplicate name: two different modules are named '\(module.name)'", at: location)
        }
    }

    /// The finished module: body statements (collected by `collect`) followed by top-level
    /// statements added on the side.
    func finish(name: String, location: SourceLocation, body: [Statement]) -> Module {
        state.withLock { s in
            let implicit = [s.clock, s.reset].compactMap { $0 }
            return Module(name: name, location: location, signals: s.signals, ports: implicit + s.ports,
                          clock: s.clock, reset: s.reset, nodes: s.nodes, statements: body + s.topLevel,
                          memories: s.memories, instances: s.instances, submodules: s.submodules,
                          diagnostics: s.diagnostics, coverPoints: s.coverPoints)
        }
    }
}

/// The mutable part of an `ElaborationContext`.
struct BuildState {
    var location = SourceLocation(fileID: "", line: 0)
    var signals: [SignalDecl] = []
    var ports: [SignalID] = []
    var clock: SignalID?
    var reset: SignalID?
    var nodes: [Node] = []
    var topLevel: [Statement] = []
    var memories: [MemoryDecl] = []
    var instances: [InstanceDecl] = []
    var submodules: [Module] = []
    var submoduleIndex: [String: Int] = [:]
    var diagnostics: [Diagnostic] = []
    var coverPoints: [CoverPoint] = []
    /// The blocks being built, innermost last: the module body, then one per open `When`/`Case`.
    var blocks: [OpenBlock] = []
    var nextBlockID = 0
    /// The names of `signals`, for `freshName`.
    var names: Set<String> = []
}
