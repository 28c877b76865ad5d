/// An instance of another module inside the module being built.
///
/// Each port of the child becomes a wire of the parent named `<instance>_<port>`: drive the
/// input wires with assignments (`u.a <== x`), read the output wires (`let s = u.sum`). The
/// child's `clk` and `rst` are connected to the parent's automatically.
@dynamicMemberLookup
public struct Instance: Sendable {
    let context: ElaborationContext
    public let name: String
    let location: SourceLocation
    let ports: [String: Signal]

    /// Instantiates `module` under the instance name `name`.
    public init(_ module: Module, _ name: String, fileID: String = #fileID, line: Int = #line) {
        let ctx = ElaborationContext.active
        let location = SourceLocation(fileID: fileID, line: line)
        ctx.addSubmodule(module, at: location)
        let index = ctx.state.withLock { $0.instances.count }
        var bindings: [PortBinding] = []
        var ports: [String: Signal] = [:]
        for portID in module.ports {
            let port = module[signal: portID]
            if portID == module.clock {
                bindings.append(PortBinding(port: port.name, signal: ctx.clock()))
            } else if portID == module.reset {
                bindings.append(PortBinding(port: port.name, signal: ctx.reset()))
            } else {
                let kind: SignalKind = port.kind == .input
                    ? .instanceInput(instance: index, port: port.name)
                    : .instanceOutput(instance: index, port: port.name)
                let wire = ctx.declare("\(name)_\(port.name)", port.type, kind, at: location)
                if let declaration = wire.declaration {
                    bindings.append(PortBinding(port: port.name, signal: declaration))
                }
                ports[port.name] = wire
            }
        }
        let decl = InstanceDecl(name: name, moduleName: module.name, bindings: bindings, location: location)
        ctx.state.withLock { $0.instances.append(decl) }
        self.context = ctx
        self.name = name
        self.location = location
        self.ports = ports
    }

    /// The parent-side wire of port `port` (an unknown port is a diagnostic).
    public subscript(port: String) -> Signal {
        if let signal = ports[port] { return signal }
        context.report("instance '\(name)' has no port '\(port)'", at: location)
        return context.invalid(nil)
    }

    /// `u.sum` for `u["sum"]`.
    public subscript(dynamicMember port: String) -> Signal { self[port] }
}
