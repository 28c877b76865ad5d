// A readable text form of the IR, for debugging generators and simulators:
//   module Counter_w8 @ Counter.swift:6
//     $0 input enable: 1-bit unsigned
//     %3 = add %0, %2 : 8-bit unsigned
//     Counter.swift:10: when %1 { $2 <= %3 }

extension Module: CustomStringConvertible {
    public var description: String {
        var out = "module \(name) @ \(location)\n"
        for (index, signal) in signals.enumerated() {
            out += "  $\(index) \(Self.kindName(signal.kind)) \(signal.name): \(signal.type)\n"
        }
        for (index, memory) in memories.enumerated() {
            out += "  mem\(index) memory \(memory.name)[\(memory.depth)]: \(memory.elementType)\n"
        }
        for instance in instances {
            out += "  instance \(instance.name): \(instance.moduleName)("
                + instance.bindings.map { "\($0.port)=\($0.signal)" }.joined(separator: ", ") + ")\n"
        }
        for (index, node) in nodes.enumerated() {
            out += "  %\(index) = \(Self.opText(node.op)) : \(node.type)\(node.error.map { "  !! \($0)" } ?? "")\n"
        }
        Self.printBlock(statements, indent: "  ", into: &out)
        return out
    }

    private static func kindName(_ kind: SignalKind) -> String {
        switch kind {
        case .input: return "input"
        case .output: return "output"
        case .wire: return "wire"
        case .register(let spec):
            return "register" + (spec.reset.map { " reset=\($0)" } ?? "") + (spec.enable.map { " enable=\($0)" } ?? "")
        case .instanceInput(let instance, let port): return "instance-input #\(instance).\(port)"
        case .instanceOutput(let instance, let port): return "instance-output #\(instance).\(port)"
        case .memoryReadData(let memory): return "read-data \(memory)"
        }
    }

    private static func opText(_ op: Op) -> String {
        switch op {
        case .signal(let id): return "signal \(id)"
        case .constant(let value): return "const \(value)"
        case .unary(let op, let a): return "\(op.rawValue) \(a)"
        case .binary(let op, let a, let b): return "\(op.rawValue) \(a), \(b)"
        case .mux(let c, let t, let f): return "mux \(c), \(t), \(f)"
        case .concat(let parts): return "concat " + parts.map(\.description).joined(separator: ", ")
        case .slice(let a, let low): return "slice \(a) from \(low)"
        case .zeroExtend(let a): return "zext \(a)"
        case .signExtend(let a): return "sext \(a)"
        case .truncate(let a): return "truncate \(a)"
        case .reinterpret(let a): return "reinterpret \(a)"
        case .invalid: return "invalid"
        }
    }

    private static func printBlock(_ block: [Statement], indent: String, into out: inout String) {
        for statement in block {
            let at = "\(indent)\(statement.location): "
            switch statement.kind {
            case .assign(let target, let value):
                out += "\(at)\(target) <= \(value)\n"
            case .when(let condition, let then, let otherwise):
                out += "\(at)when \(condition)\n"
                printBlock(then, indent: indent + "  ", into: &out)
                if !otherwise.isEmpty {
                    out += "\(indent)otherwise\n"
                    printBlock(otherwise, indent: indent + "  ", into: &out)
                }
            case .switchOn(let subject, let cases, let otherwise):
                out += "\(at)switch \(subject)\n"
                for item in cases {
                    out += "\(indent)  case " + item.values.map(\.description).joined(separator: ", ") + "\n"
                    printBlock(item.body, indent: indent + "    ", into: &out)
                }
                if let otherwise {
                    out += "\(indent)  default\n"
                    printBlock(otherwise, indent: indent + "    ", into: &out)
                }
            case .memoryWrite(let memory, let address, let data):
                out += "\(at)\(memory)[\(address)] <= \(data)\n"
            case .memoryRead(let memory, let address, let data):
                out += "\(at)\(data) <= \(memory)[\(address)]\n"
            }
        }
    }
}
