import HDL

/// One SystemVerilog source file: the file name matters to Verilator's lint (one module per file,
/// named after it) and to the testbenches that `include` or list it.
public struct VerilogSource: Sendable, Hashable, Codable {
    public let fileName: String
    public let text: String

    public init(fileName: String, text: String) {
        self.fileName = fileName
        self.text = text
    }
}

/// The reset input of a design and its polarity.
public struct ResetDescription: Sendable, Hashable, Codable {
    public let port: String
    /// `true` for an active-low reset (`rst_n`).
    public let activeLow: Bool

    public init(_ port: String, activeLow: Bool = false) {
        self.port = port
        self.activeLow = activeLow
    }

    /// The value the reset port holds while reset is asserted.
    public var assertedValue: UInt64 { activeLow ? 0 : 1 }
}

/// A design as every simulator backend consumes it: SystemVerilog text, the top module's ports,
/// and which inputs are the clock and the reset.
///
/// Built by hand for SV-only designs, or from an elaborated HDL `Design`
/// (`VerilogDesign(design)`), which also lets the IR simulator run it.
public struct VerilogDesign: Sendable, Hashable {
    public let topModule: String
    public let sources: [VerilogSource]
    public let ports: [PortDescription]
    /// The rising-edge clock input that `step` toggles; `nil` for purely combinational designs.
    public let clock: String?
    public let reset: ResetDescription?
    /// Other names a port answers to (HDL name -> emitted name, when the emitter renamed it).
    public let portAliases: [String: String]
    /// The HDL design this was emitted from, when there is one: what the IR simulator runs.
    public internal(set) var hdl: Design?

    /// A design; throws `CosimError.invalidDesign` when the clock or reset is not a 1-bit input,
    /// a port name repeats, or a width is not positive.
    public init(topModule: String, sources: [VerilogSource], ports: [PortDescription],
                clock: String? = nil, reset: ResetDescription? = nil,
                portAliases: [String: String] = [:]) throws {
        self.topModule = topModule
        self.sources = sources
        self.ports = ports
        self.clock = clock
        self.reset = reset
        self.portAliases = portAliases
        hdl = nil
        try validate()
    }

    /// The same design (ports, clock, reset, HDL) in other sources: a netlist of it, for instance.
    public func replacingSources(with sources: [VerilogSource]) throws -> VerilogDesign {
        var copy = try VerilogDesign(topModule: topModule, sources: sources, ports: ports, clock: clock, reset: reset,
                                     portAliases: portAliases)
        copy.hdl = hdl
        return copy
    }

    /// The index in `ports` of the port with this name (or alias), or `CosimError.unknownPort`.
    public func portIndex(named name: String) throws -> Int {
        let emitted = portAliases[name] ?? name
        guard let index = ports.firstIndex(where: { $0.name == emitted }) else {
            throw CosimError.unknownPort(name, design: topModule, known: ports.map(\.name))
        }
        return index
    }

    /// The port with this name (or alias), or `CosimError.unknownPort`.
    public func port(named name: String) throws -> PortDescription { ports[try portIndex(named: name)] }

    /// Inputs other than the clock: what a test drives each cycle.
    public var dataInputs: [PortDescription] {
        ports.filter { $0.direction == .input && $0.name != clock }
    }

    /// Output ports, in declaration order.
    public var outputs: [PortDescription] { ports.filter { $0.direction == .output } }

    private func validate() throws {
        func fail(_ message: String) -> CosimError { .invalidDesign(topModule, message) }
        guard !topModule.isEmpty, topModule.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw fail("top module name must be a plain identifier")
        }
        guard !sources.isEmpty else { throw fail("no SystemVerilog sources") }
        var seen = Set<String>()
        for port in ports {
            guard port.width >= 1 else { throw fail("port \(port.name) has width \(port.width)") }
            guard seen.insert(port.name).inserted else { throw fail("port \(port.name) declared twice") }
        }
        for (role, name) in [("clock", clock), ("reset", reset?.port)] {
            guard let name else { continue }
            guard let port = ports.first(where: { $0.name == name }) else {
                throw fail("\(role) \(name) is not a port")
            }
            guard port.direction == .input, port.width == 1 else {
                throw fail("\(role) \(name) must be a 1-bit input")
            }
        }
    }
}
