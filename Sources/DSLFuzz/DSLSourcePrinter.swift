import HDL

/// A module's IR printed back as DSL source (`Module(name) { ... }`), so a shrunk failing design
/// can be pasted into a test. Expressions are inlined; an operand narrower than its operator's
/// result is extended explicitly, so the text means exactly what the IR does.
public struct DSLSourcePrinter {
    let module: Module

    public init(_ module: Module) { self.module = module }

    public var text: String {
        var out = "Module(\"\(module.name)\") {\n"
        for (index, s) in module.signals.enumerated() {
            guard let line = declaration(SignalID(index), s) else { continue }
            out += "    \(line)\n"
        }
        for (index, m) in module.memories.enumerated() {
            out += "    let mem\(index) = Memory(\"\(m.name)\", depth: \(m.depth), \(typeText(m.elementType)))\n"
        }
        for instance in module.instances {
            out += "    let \(instance.name) = Instance(\(instance.moduleName)(), \"\(instance.name)\")  // submodule printed separately\n"
            for b in instance.bindings where module.signals[b.signal.index].kind.isAssignable {
                out += "    // \(instance.name)[\"\(b.port)\"] is driven through \(module.signals[b.signal.index].name)\n"
            }
        }
        block(module.statements, indent: "    ", into: &out)
        return out + "}\n"
    }

    func declaration(_ id: SignalID, _ s: SignalDecl) -> String? {
        let t = typeText(s.type)
        switch s.kind {
        case .input: return s.name == "clk" || s.name == "rst" ? nil : "let \(s.name) = Input(\"\(s.name)\", \(t))"
        case .output: return "let \(s.name) = Output(\"\(s.name)\", \(t))"
        case .wire: return "let \(s.name) = Wire(\"\(s.name)\", \(t))"
        case .register(let spec):
            let reset = spec.reset.map { ", reset: \(constantText($0, s.type))" } ?? ""
            let enable = spec.enable.map { ", enable: \(expression($0))" } ?? ""
            return "let \(s.name) = Reg(\"\(s.name)\", \(t)\(reset)\(enable))"
        case .instanceInput(let instance, let port): return "let \(s.name) = \(module.instances[instance].name)[\"\(port)\"]  // input"
        case .instanceOutput(let instance, let port): return "let \(s.name) = \(module.instances[instance].name)[\"\(port)\"]"
        case .memoryReadData: return nil
        }
    }

    func typeText(_ t: HWType) -> String { t.isSigned ? ".sint(\(t.width))" : ".uint(\(t.width))" }

    func constantText(_ v: BitVector, _ t: HWType) -> String {
        v.width < 63 ? "Const(0x\(v.hexDigits), \(typeText(t)))"
            : "Const(BitVector(words: [\(v.words.map { "0x" + String($0, radix: 16) }.joined(separator: ", "))], width: \(v.width)), signed: \(t.isSigned))"
    }

    /// `id` as an expression of `width` bits (extended by its own signedness when narrower).
    func operand(_ id: ExprID, width: Int) -> String {
        let t = module.nodes[id.index].type
        let e = expression(id)
        return t.width < width ? "\(e).\(t.isSigned ? "sext" : "zext")(to: \(width))" : e
    }

    func expression(_ id: ExprID) -> String {
        let node = module.nodes[id.index]
        let w = node.type.width
        switch node.op {
        case .signal(let s):
            if case .memoryReadData(let m) = module.signals[s.index].kind { return "mem\(m.index).readData" }
            return module.signals[s.index].name
        case .constant(let v): return constantText(v, node.type)
        case .unary(.not, let a): return "(~\(expression(a)))"
        case .unary(let op, let a): return "\(expression(a)).\(op.rawValue)()"
        case .binary(let op, let a, let b):
            switch op {
            case .add, .sub, .mul, .and, .or, .xor:
                let symbol = [BinaryOp.add: "&+", .sub: "&-", .mul: "&*", .and: "&", .or: "|", .xor: "^"][op]!
                return "(\(operand(a, width: w)) \(symbol) \(operand(b, width: w)))"
            case .eq, .ne, .lt, .le, .gt, .ge:
                let symbol = [BinaryOp.eq: "==", .ne: "!=", .lt: "<", .le: "<=", .gt: ">", .ge: ">="][op]!
                let width = max(module.nodes[a.index].type.width, module.nodes[b.index].type.width)
                return "(\(operand(a, width: width)) \(symbol) \(operand(b, width: width)))"
            case .shiftLeft: return "(\(operand(a, width: w)) &<< \(expression(b)))"
            case .shiftRight: return "(\(operand(a, width: w)) >> \(expression(b)))"
            }
        case .mux(let c, let t, let f): return "mux(\(expression(c)), \(expression(t)), \(expression(f)))"
        case .concat(let parts): return "cat([\(parts.map(expression).joined(separator: ", "))])"
        case .slice(let a, let low): return "\(expression(a))[\(low + w - 1), \(low)]"
        case .zeroExtend(let a): return "\(expression(a)).zext(to: \(w))"
        case .signExtend(let a): return "\(expression(a)).sext(to: \(w))"
        case .truncate(let a): return "\(expression(a)).truncate(to: \(w))"
        case .reinterpret(let a): return node.type.isSigned ? "\(expression(a)).asSigned()" : "\(expression(a)).asUnsigned()"
        case .invalid: return "<invalid>"
        }
    }

    func block(_ statements: [Statement], indent: String, into out: inout String) {
        for s in statements {
            switch s.kind {
            case .assign(let target, let value):
                out += "\(indent)\(module.signals[target.index].name) <== \(expression(value))\n"
            case .when(let c, let then, let otherwise):
                out += "\(indent)When(\(expression(c))) {\n"
                block(then, indent: indent + "    ", into: &out)
                if otherwise.isEmpty {
                    out += "\(indent)}\n"
                } else {
                    out += "\(indent)}.Otherwise {\n"
                    block(otherwise, indent: indent + "    ", into: &out)
                    out += "\(indent)}\n"
                }
            case .switchOn(let subject, let cases, let otherwise):
                out += "\(indent)Switch(\(expression(subject))) {\n"
                for c in cases {
                    out += "\(indent)    Case(\(c.values.map { "0x\($0.hexDigits)" }.joined(separator: ", "))) {\n"
                    block(c.body, indent: indent + "        ", into: &out)
                    out += "\(indent)    }\n"
                }
                if let otherwise {
                    out += "\(indent)    Default {\n"
                    block(otherwise, indent: indent + "        ", into: &out)
                    out += "\(indent)    }\n"
                }
                out += "\(indent)}\n"
            case .memoryWrite(let m, let address, let data):
                out += "\(indent)mem\(m.index).write(\(expression(address)), \(expression(data)))\n"
            case .memoryRead(let m, let address, _):
                out += "\(indent)mem\(m.index).read(\(expression(address)))  // registered: mem\(m.index).readData\n"
            }
        }
    }
}
