/// Emits a checked `Design` as synthesizable SystemVerilog (`logic`, `always_ff`,
/// `always_comb`) in the subset Verilator 5.006, Icarus 11 (`-g2012`) and Yosys 0.23 accept:
/// one file per module, named after it, children before parents.
///
/// Conventions: modules with registers or memories get an implicit `input logic clk` (rising
/// edge) and, when a register has a reset value, `input logic rst` (synchronous, active high),
/// listed first. User names are kept (SystemVerilog keywords get a `_` suffix); temporaries
/// are `_<signal>_<n>`, numbered per assigned signal. Every extension and truncation is
/// explicit, so Verilog's context-dependent widths never change a value.
public struct SystemVerilogEmitter: Sendable {
    public var options: EmitOptions

    public init(options: EmitOptions = EmitOptions()) { self.options = options }

    /// One file per module of `design`, instantiated modules first.
    public func emit(_ design: Design) -> [EmittedFile] {
        var portNames: [String: [String: String]] = [:]
        var moduleNames = Set<String>()
        var files: [EmittedFile] = []
        for module in design.modules {
            var name = module.name
            while SystemVerilogKeywords.all.contains(name) || moduleNames.contains(name) { name += "_" }
            moduleNames.insert(name)
            let legal = LegalizedModule(module, name: name, options: options)
            var printer = SystemVerilogPrinter(legal, options: options, childPortNames: portNames)
            files.append(EmittedFile(moduleName: name, text: printer.print()))
            var ports: [String: String] = ["": name]
            for port in module.ports { ports[module[signal: port].name] = legal.signalNames[port.index] }
            portNames[module.name] = ports
        }
        return files
    }

    /// All modules of `design` in one text (for display; tools want `emit(_:)`'s files).
    public func emitSingleText(_ design: Design) -> String {
        emit(design).map(\.text).joined(separator: "\n")
    }
}
