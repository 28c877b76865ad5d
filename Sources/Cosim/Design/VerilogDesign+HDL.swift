import Golden
import HDL

extension VerilogDesign {
    /// An elaborated HDL design as the simulators see it: its emitted SystemVerilog (one file per
    /// module), the top module's ports, the implicit `clk` and the synchronous active-high `rst`.
    ///
    /// Ports keep their HDL names; if the emitter had to rename one (a SystemVerilog keyword gets
    /// a `_` suffix) the HDL name still finds it. `floatFormats` names the ports that carry
    /// floating-point values (lane buses included) so that mismatch reports decode them.
    public init(_ design: Design, emitOptions: EmitOptions = EmitOptions(),
                floatFormats: [String: FloatFormat] = [:]) throws {
        let files = SystemVerilogEmitter(options: emitOptions).emit(design)
        let top = design.topModule
        guard let topFile = files.last else { throw CosimError.invalidDesign(design.top, "nothing was emitted") }
        let emittedNames = try Self.portNames(in: topFile.text, module: topFile.moduleName)
        guard emittedNames.count == top.ports.count else {
            throw CosimError.invalidDesign(design.top, "emitted \(emittedNames.count) ports, the IR has \(top.ports.count)")
        }
        var ports: [PortDescription] = []
        var aliases: [String: String] = [:]
        for (id, emitted) in zip(top.ports, emittedNames) {
            let decl = top[signal: id]
            if decl.name != emitted { aliases[decl.name] = emitted }
            ports.append(PortDescription(emitted, width: decl.type.width, decl.kind == .input ? .input : .output,
                                         isSigned: decl.type.isSigned, floatFormat: floatFormats[decl.name]))
        }
        try self.init(topModule: topFile.moduleName,
                      sources: files.map { VerilogSource(fileName: $0.fileName, text: $0.text) },
                      ports: ports,
                      clock: top.clock.map { emittedNames[top.ports.firstIndex(of: $0)!] },
                      reset: top.reset.map { ResetDescription(emittedNames[top.ports.firstIndex(of: $0)!]) },
                      portAliases: aliases)
        self.hdl = design
    }

    /// The port names of `module`'s header, in order, as the emitter printed them.
    private static func portNames(in text: String, module: String) throws -> [String] {
        var names: [String] = []
        var inHeader = false
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .trimmingCharacters(in: .whitespaces)
            if !inHeader {
                if line == "module \(module) (" { inHeader = true }
                if line == "module \(module);" { return [] }
                continue
            }
            if line == ");" { return names }
            guard let last = line.split(separator: " ").last else { continue }
            names.append(String(last.hasSuffix(",") ? last.dropLast() : last))
        }
        throw CosimError.invalidDesign(module, "cannot read the port list of the emitted module")
    }
}
