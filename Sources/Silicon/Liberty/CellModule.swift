/// The Verilog module of one cell that `CellModelWriter.unmodelableReason` accepts.
struct CellModule {
    let cell: LibertyCell
    let prefix: String
    private var used: Set<String>

    init(cell: LibertyCell, prefix: String) {
        self.cell = cell
        self.prefix = prefix
        used = Set(cell.pins.map(\.name))
        if let storage = cell.storage { used.formUnion([storage.state, storage.invertedState]) }
    }

    var text: String {
        var module = self
        return module.render()
    }

    private mutating func render() -> String {
        let ports = cell.pins.filter { $0.direction != .internal }
        var lines = ["// \(cell.name): area \(formatted(cell.area))" + (cell.dontUse ? ", dont_use" : "")]
        lines.append("module \(VerilogName.escape(prefix + cell.name)) (\(ports.map { VerilogName.escape($0.name) }.joined(separator: ", ")));")
        let read = readNames
        for pin in cell.pins {
            let name = VerilogName.escape(pin.name)
            let declaration: String
            switch pin.direction {
            case .input: declaration = "input wire \(name);"
            case .output: declaration = "output wire \(name);"
            case .inout: declaration = "inout wire \(name);"
            case .internal: declaration = "wire \(name);"
            }
            if pin.direction == .input && !read.contains(pin.name) {
                // The cell's functions never read this input (a spare or test pin).
                lines += ["  /* verilator lint_off UNUSEDSIGNAL */", "  " + declaration, "  /* verilator lint_on UNUSEDSIGNAL */"]
            } else {
                lines.append("  " + declaration)
            }
        }
        if let storage = cell.storage { lines += storageLines(storage, read: read) }
        for pin in cell.pins where pin.direction != .input {
            guard let function = pin.function else { continue }
            let value = function.verilog(rename: VerilogName.escape)
            if let threeState = pin.threeState {
                // Liberty's three_state is true when the output floats.
                lines.append("  assign \(VerilogName.escape(pin.name)) = (\(threeState.verilog(rename: VerilogName.escape))) ? 1'bz : \(parenthesised(value));")
            } else {
                lines.append("  assign \(VerilogName.escape(pin.name)) = \(value);")
            }
        }
        lines.append("endmodule")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Every name some expression of the cell reads.
    private var readNames: Set<String> {
        var names = Set<String>()
        for pin in cell.pins {
            if let function = pin.function { names.formUnion(function.variables) }
            if let threeState = pin.threeState { names.formUnion(threeState.variables) }
        }
        if let storage = cell.storage {
            for expression in [storage.next, storage.clock] + [storage.clear, storage.preset].compactMap({ $0 }) {
                names.formUnion(expression.variables)
            }
        }
        return names
    }

    /// The conditions under which the state is forced, one at a time and mutually exclusive, so
    /// that each becoming true is an event and the order of the `if`s does not matter.
    private struct Forcing {
        var zero: LibertyExpression?
        var one: LibertyExpression?
        var unknown: LibertyExpression?
        /// Both asserted under `clear_preset_var1 : N`: the state keeps its value.
        var hold: LibertyExpression?

        init(clear: LibertyExpression?, preset: LibertyExpression?, both rule: Character?) {
            guard let clear, let preset else {
                zero = clear
                one = preset
                return
            }
            let onlyClear = LibertyExpression.and([clear, negate(preset)])
            let onlyPreset = LibertyExpression.and([preset, negate(clear)])
            switch rule {
            case "L": (zero, one) = (clear, onlyPreset)
            case "H": (zero, one) = (onlyClear, preset)
            case "N": (zero, one, hold) = (onlyClear, onlyPreset, .and([clear, preset]))
            // X, or no rule: the Liberty reference leaves the state unknown.
            default: (zero, one, unknown) = (onlyClear, onlyPreset, .and([clear, preset]))
            }
        }
    }

    private mutating func storageLines(_ storage: LibertyStorage, read: Set<String>) -> [String] {
        let state = VerilogName.escape(storage.state)
        var lines = ["  reg \(state);"]
        let forcing = Forcing(clear: storage.clear, preset: storage.preset, both: storage.clearPresetVar1)
        let next = storage.next.verilog(rename: VerilogName.escape)
        switch storage.kind {
        case .flipFlop:
            var events: [String] = []
            let clock = event(storage.clock, suffix: "clock", lines: &lines)
            events.append(clock.event)
            var branches: [String] = []
            for (condition, value, suffix) in [(forcing.zero, "1'b0", "clear"), (forcing.one, "1'b1", "preset"),
                                               (forcing.unknown, "1'bx", "unknown")] {
                guard let condition else { continue }
                let trigger = event(condition, suffix: suffix, lines: &lines)
                events.append(trigger.event)
                branches.append("if (\(trigger.test)) \(state) <= \(value);")
            }
            if let hold = forcing.hold {
                branches.append("if (!(\(hold.verilog(rename: VerilogName.escape)))) \(state) <= \(next);")
            } else {
                branches.append("\(state) <= \(next);")
            }
            lines.append("  always @(\(events.joined(separator: " or "))) begin")
            lines.append("    " + branches.joined(separator: "\n    else "))
            lines.append("  end")
        case .latch:
            var branches: [String] = []
            for (condition, value) in [(forcing.zero, "1'b0"), (forcing.one, "1'b1"), (forcing.unknown, "1'bx")] {
                guard let condition else { continue }
                branches.append("if (\(condition.verilog(rename: VerilogName.escape))) \(state) = \(value);")
            }
            var enable = storage.clock
            if let hold = forcing.hold { enable = .and([enable, negate(hold)]) }
            // Blocking, as in any level-sensitive process (Verilator's COMBDLY).
            branches.append("if (\(enable.verilog(rename: VerilogName.escape))) \(state) = \(next);")
            lines.append("  always_latch begin")
            lines.append("    " + branches.joined(separator: "\n    else "))
            lines.append("  end")
        }
        if read.contains(storage.invertedState) {
            let inverted = VerilogName.escape(storage.invertedState)
            var value = "~\(state)"
            if let rule = storage.clearPresetVar2, let clear = storage.clear, let preset = storage.preset {
                let both = LibertyExpression.and([clear, preset]).verilog(rename: VerilogName.escape)
                value = "(\(both)) ? \(rule == "L" ? "1'b0" : rule == "H" ? "1'b1" : "1'bx") : ~\(state)"
            }
            lines.append("  wire \(inverted);")
            lines.append("  assign \(inverted) = \(value);")
        }
        return lines
    }

    /// The event for "`condition` becomes true": the edge of a pin when it is one (or its
    /// negation), else the rising edge of a wire declared for it.
    private mutating func event(_ condition: LibertyExpression, suffix: String,
                                lines: inout [String]) -> (event: String, test: String) {
        switch condition {
        case .variable(let name):
            return ("posedge \(VerilogName.escape(name))", VerilogName.escape(name))
        case .not(.variable(let name)):
            return ("negedge \(VerilogName.escape(name))", "!" + VerilogName.escape(name))
        default:
            let wire = fresh("\(cell.storage!.state)_\(suffix)")
            lines.append("  wire \(wire);")
            lines.append("  assign \(wire) = \(condition.verilog(rename: VerilogName.escape));")
            return ("posedge \(wire)", wire)
        }
    }

    /// A name no pin or state variable has, escaped.
    private mutating func fresh(_ base: String) -> String {
        var name = base
        while used.contains(name) { name += "_" }
        used.insert(name)
        return VerilogName.escape(name)
    }

    private func parenthesised(_ text: String) -> String {
        text.contains(" ") ? "(\(text))" : text
    }

    private func formatted(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// NOT, without a double negation.
private func negate(_ expression: LibertyExpression) -> LibertyExpression {
    if case .not(let inner) = expression { return inner }
    return .not(expression)
}

/// Verilog identifiers for Liberty names.
enum VerilogName {
    private static let keywords: Set<String> = [
        "always", "and", "assign", "begin", "buf", "bufif0", "bufif1", "case", "default", "else", "end",
        "endmodule", "for", "if", "initial", "inout", "input", "module", "nand", "nor", "not", "or", "output",
        "reg", "supply0", "supply1", "tri", "wire", "xnor", "xor", "logic", "bit", "byte", "int", "edge",
        "posedge", "negedge", "always_latch", "always_ff", "always_comb", "function", "task", "table",
        "primitive", "specify", "event", "force", "release", "wait", "while", "repeat", "forever", "fork",
        "join", "parameter", "localparam", "genvar", "generate", "integer", "real", "time", "signed", "unsigned",
    ]

    /// `name` itself if it is a simple identifier, else the escaped form `\name ` (with its space).
    static func escape(_ name: String) -> String {
        let scalars = Array(name.unicodeScalars)
        let simple = !scalars.isEmpty && scalars.allSatisfy { $0.isASCII }
            && (scalars[0].properties.isAlphabetic || scalars[0] == "_")
            && scalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "$" }
        return simple && !keywords.contains(name) ? name : "\\\(name) "
    }
}
