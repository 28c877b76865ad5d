/// The index of a memory in its module's `memories` table.
public struct MemoryID: Sendable, Hashable, CustomStringConvertible {
    public let index: Int
    public init(_ index: Int) { self.index = index }
    public var description: String { "mem\(index)" }
}

/// What a declared signal is and who drives it.
public enum SignalKind: Sendable, Hashable {
    /// A module input (including the implicit `clk` and `rst`).
    case input
    /// A module output, driven combinationally by assignments.
    case output
    /// A combinational wire, driven by assignments.
    case wire
    /// A register clocked by the module's `clk`; assignments set its next value.
    case register(RegisterSpec)
    /// A wire in the parent bound to an input port of an instance; driven by assignments.
    case instanceInput(instance: Int, port: String)
    /// A wire in the parent bound to an output port of an instance; driven by the instance.
    case instanceOutput(instance: Int, port: String)
    /// The registered read data of a memory read port; driven by the memory.
    case memoryReadData(MemoryID)

    /// Whether assignments drive this signal.
    public var isAssignable: Bool {
        switch self {
        case .output, .wire, .register, .instanceInput: return true
        case .input, .instanceOutput, .memoryReadData: return false
        }
    }

    /// Whether this is a register (assignments are sequential).
    public var isRegister: Bool {
        if case .register = self { return true }
        return false
    }
}

/// How a register updates: its synchronous reset value and optional clock enable.
public struct RegisterSpec: Sendable, Hashable {
    /// The value loaded while `rst` is high; nil for a register without reset.
    public var reset: BitVector?
    /// A 1-bit expression; when present the register only updates while it is 1.
    public var enable: ExprID?

    public init(reset: BitVector?, enable: ExprID?) {
        self.reset = reset
        self.enable = enable
    }
}

/// A named signal of a module.
public struct SignalDecl: Sendable, Hashable {
    public var name: String
    public var type: HWType
    public var kind: SignalKind
    public var location: SourceLocation

    public init(name: String, type: HWType, kind: SignalKind, location: SourceLocation) {
        self.name = name
        self.type = type
        self.kind = kind
        self.location = location
    }
}

/// One label set and body of a `Switch`.
public struct SwitchCase: Sendable, Hashable {
    /// Values of the subject's width that select this case.
    public var values: [BitVector]
    public var body: [Statement]
    public var location: SourceLocation

    public init(values: [BitVector], body: [Statement], location: SourceLocation) {
        self.values = values
        self.body = body
        self.location = location
    }
}

/// A statement of a module body. Assignments to registers and memory writes are sequential
/// (they take effect at the next clock edge); all other assignments are combinational. Within
/// one block the last assignment to a signal wins.
public struct Statement: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Drive `target` with `value` (same type).
        case assign(target: SignalID, value: ExprID)
        /// `if condition { then } else { otherwise }`; condition is 1 bit.
        case when(condition: ExprID, then: [Statement], otherwise: [Statement])
        /// Selects the first case whose values contain `subject`, else `otherwise` when present.
        case switchOn(subject: ExprID, cases: [SwitchCase], otherwise: [Statement]?)
        /// Writes `data` at `address` at the next clock edge.
        case memoryWrite(MemoryID, address: ExprID, data: ExprID)
        /// Loads the word at `address` into `data` (a `memoryReadData` signal) at the next edge.
        case memoryRead(MemoryID, address: ExprID, data: SignalID)
    }

    public var kind: Kind
    public var location: SourceLocation

    public init(_ kind: Kind, location: SourceLocation) {
        self.kind = kind
        self.location = location
    }
}

/// A synchronous-write, synchronous-read RAM of `depth` words.
public struct MemoryDecl: Sendable, Hashable {
    public var name: String
    public var depth: Int
    public var elementType: HWType
    public var location: SourceLocation

    /// The address width: ceil(log2(depth)), at least 1.
    public var addressWidth: Int { bitsFor(depth - 1) }

    public init(name: String, depth: Int, elementType: HWType, location: SourceLocation) {
        self.name = name
        self.depth = depth
        self.elementType = elementType
        self.location = location
    }
}

/// A port of an instance bound to a signal of the parent module.
public struct PortBinding: Sendable, Hashable {
    public var port: String
    public var signal: SignalID

    public init(port: String, signal: SignalID) {
        self.port = port
        self.signal = signal
    }
}

/// An instance of another module. Every port is bound: `clk`/`rst` to the parent's, inputs to
/// `instanceInput` wires, outputs to `instanceOutput` wires.
public struct InstanceDecl: Sendable, Hashable {
    public var name: String
    public var moduleName: String
    public var bindings: [PortBinding]
    public var location: SourceLocation

    public init(name: String, moduleName: String, bindings: [PortBinding], location: SourceLocation) {
        self.name = name
        self.moduleName = moduleName
        self.bindings = bindings
        self.location = location
    }
}

/// A hardware module: plain data produced by the DSL, checked by `Design`, printed by emitters.
/// A functional coverage point (`Cover`): a named 1-bit wire whose cycles at 1 a coverage run
/// counts. The emitter turns it into an immediate `cover` under `ifdef NORMFORGE_COVER`.
public struct CoverPoint: Sendable, Hashable {
    /// The point's name, unique in its module (the SystemVerilog label is `cover_<name>`).
    public var name: String
    /// The wire holding the condition.
    public var signal: SignalID
    public var location: SourceLocation

    public init(name: String, signal: SignalID, location: SourceLocation) {
        self.name = name
        self.signal = signal
        self.location = location
    }
}

public struct Module: Sendable, Hashable {
    public var name: String
    public var location: SourceLocation
    /// Every named signal: ports, wires, registers, instance port wires, memory read data.
    public var signals: [SignalDecl]
    /// Port order of the module (indices into `signals`); `clk` and `rst` first when present.
    public var ports: [SignalID]
    /// The implicit clock input, present when the module has registers, memories or clocked
    /// instances.
    public var clock: SignalID?
    /// The implicit synchronous active-high reset input, present when something uses a reset.
    public var reset: SignalID?
    /// Expression nodes in topological order.
    public var nodes: [Node]
    public var statements: [Statement]
    public var memories: [MemoryDecl]
    public var instances: [InstanceDecl]
    /// The definitions of the modules instantiated here (one per distinct name).
    public var submodules: [Module]
    /// Problems found while building the module that the IR cannot hold (reported by `Design`).
    public var diagnostics: [Diagnostic]
    /// Functional coverage points, in declaration order.
    public var coverPoints: [CoverPoint]

    public init(name: String, location: SourceLocation, signals: [SignalDecl], ports: [SignalID],
                clock: SignalID?, reset: SignalID?, nodes: [Node], statements: [Statement],
                memories: [MemoryDecl], instances: [InstanceDecl], submodules: [Module],
                diagnostics: [Diagnostic], coverPoints: [CoverPoint] = []) {
        self.name = name
        self.location = location
        self.signals = signals
        self.ports = ports
        self.clock = clock
        self.reset = reset
        self.nodes = nodes
        self.statements = statements
        self.memories = memories
        self.instances = instances
        self.submodules = submodules
        self.diagnostics = diagnostics
        self.coverPoints = coverPoints
    }

    /// The declaration of `id`.
    public subscript(signal id: SignalID) -> SignalDecl { signals[id.index] }
    /// The node `id`.
    public subscript(node id: ExprID) -> Node { nodes[id.index] }

    /// The port named `name`, if any.
    public func port(named name: String) -> SignalDecl? {
        ports.lazy.map { self.signals[$0.index] }.first { $0.name == name }
    }
}
