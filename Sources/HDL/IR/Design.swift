/// A checked design: the top module and every module it instantiates, each once.
///
/// The only way to get a `Design` is `init(top:)`, which runs every elaboration check, so
/// emitters and simulators can rely on a well-formed IR (no width errors, every signal driven,
/// no combinational loops, no latches, unique names).
public struct Design: Sendable, Hashable {
    /// The name of the top module.
    public let top: String
    /// Every module, instantiated modules before the modules that use them; the top is last.
    public let modules: [Module]

    /// Collects the module hierarchy under `top`, merges identical definitions of one name and
    /// runs every check; throws `ElaborationError` with all diagnostics found.
    public init(top: Module) throws {
        var ordered: [Module] = []
        var byName: [String: Int] = [:]
        var diagnostics: [Diagnostic] = []
        Design.collect(top, into: &ordered, byName: &byName, diagnostics: &diagnostics)
        for module in ordered {
            diagnostics += module.diagnostics
            diagnostics += ModuleChecker(module: module).run()
        }
        guard diagnostics.isEmpty else { throw ElaborationError(diagnostics: diagnostics) }
        self.top = top.name
        self.modules = ordered
    }

    /// The module named `name`.
    public func module(named name: String) -> Module? { modules.first { $0.name == name } }

    /// The top module.
    public var topModule: Module { modules[modules.count - 1] }

    /// Bits of every memory under the top, each instance of a module counting its memories again.
    public var memoryBits: Int {
        var bits: [String: Int] = [:]
        // Submodules come before the modules that use them.
        for module in modules {
            bits[module.name] = module.memories.reduce(0) { $0 + $1.depth * $1.elementType.width }
                + module.instances.reduce(0) { $0 + (bits[$1.moduleName] ?? 0) }
        }
        return bits[top] ?? 0
    }

    private static func collect(_ module: Module, into ordered: inout [Module], byName: inout [String: Int],
                                diagnostics: inout [Diagnostic]) {
        if let index = byName[module.name] {
            // Generators name modules after their parameters, so one name means one structure.
            if ordered[index] != module {
                diagnostics.append(Diagnostic(
                    "duplicate name: two different modules are named '\(module.name)' (first at \(ordered[index].location))",
                    at: module.location))
            }
            return
        }
        // Depth-first, explicit stack: hierarchies can be deep and recursion is not needed.
        var stack: [(Module, Int)] = [(module, 0)]
        byName[module.name] = -1
        while let (current, index) = stack.popLast() {
            if index < current.submodules.count {
                let child = current.submodules[index]
                stack.append((current, index + 1))
                if let index = byName[child.name] {
                    if index >= 0, ordered[index] != child {
                        diagnostics.append(Diagnostic(
                            "duplicate name: two different modules are named '\(child.name)' (first at \(ordered[index].location))",
                            at: child.location))
                    }
                    continue
                }
                byName[child.name] = -1
                stack.append((child, 0))
            } else {
                byName[current.name] = ordered.count
                ordered.append(current)
            }
        }
    }
}
