/// Writes zero-delay Verilog models of Liberty cells, one module per cell, from the cells'
/// `function`, `three_state`, `ff` and `latch` groups alone (no timing).
///
/// Module and port names are the Liberty names (escaped if they are not Verilog identifiers).
/// Combinational outputs are `assign`s; a tristate output is `assign Y = three_state ? 1'bz : f`,
/// which Icarus simulates and Verilator lints (Verilator simulates `z` only in limited forms).
/// A flip-flop is one `always @(edge ...)` block with its asynchronous clear and preset as
/// edge-triggered, level-checked conditions; a latch is an `always_latch` block.
public enum CellModelWriter {
    /// The models of `cells` (by name, in that order), or of every cell that can be modelled
    /// when nil. `modulePrefix` is prepended to each module name, for a testbench that also
    /// instantiates another model of the same cells. Throws `LibertyError` for a named cell that
    /// does not exist or cannot be modelled (see `unmodelableReason`).
    public static func verilog(_ library: LibertyLibrary, cells: [String]? = nil, modulePrefix: String = "") throws -> String {
        let chosen: [LibertyCell]
        if let cells {
            chosen = try cells.map { name in
                guard let cell = library.cell(named: name) else {
                    throw LibertyError(path: library.path, line: nil, message: "no cell named \(name)")
                }
                if let reason = unmodelableReason(cell) {
                    throw LibertyError(path: library.path, line: cell.line,
                                       message: "cell \(name): cannot write a model: \(reason)")
                }
                return cell
            }
        } else {
            chosen = library.cells.filter { unmodelableReason($0) == nil }
        }
        var text = """
            // Zero-delay models of the cells of Liberty library \(library.name)
            // (\(library.path ?? "text"), sha256 \(library.sha256)),
            // written by NormForge's CellModelWriter from the cells' functions; no timing.
            // verilator lint_off DECLFILENAME
            // (a library file holds one module per cell, so no module can be named after the file)
            `default_nettype none

            """
        for cell in chosen { text += "\n" + CellModule(cell: cell, prefix: modulePrefix).text }
        // Restore the default so that files compiled after this one (gate-primitive libraries
        // often rely on implicit nets) are unaffected.
        text += "\n`default_nettype wire\n"
        return text
    }

    /// Why `cell` cannot be modelled, or nil when it can: a group the reader does not model
    /// (`statetable`, `ff_bank`, buses), an output without a function, a function of an unknown
    /// name, or a `T` (toggle) or inverted-state `N` clear/preset rule.
    public static func unmodelableReason(_ cell: LibertyCell) -> String? {
        if let group = cell.unmodeledGroups.first { return "it has a \(group) group" }
        if let pin = cell.outputs.first(where: { $0.function == nil }) { return "output \(pin.name) has no function" }
        let driven = cell.pins.filter { $0.direction != .input && $0.function != nil }
        if driven.isEmpty { return "no pin has a function" }
        var known = Set(cell.pins.map(\.name))
        var expressions = cell.pins.flatMap { [$0.function, $0.threeState].compactMap { $0 } }
        if let storage = cell.storage {
            known.formUnion([storage.state, storage.invertedState])
            expressions += [storage.next, storage.clock] + [storage.clear, storage.preset].compactMap { $0 }
            if storage.clearPresetVar1 == "T" { return "clear_preset_var1 : T (toggle) is not modelled" }
            if let rule = storage.clearPresetVar2, rule == "T" || rule == "N" {
                return "clear_preset_var2 : \(rule) is not modelled"
            }
        }
        for expression in expressions {
            if let unknown = expression.variables.subtracting(known).sorted().first {
                return "a function reads \(unknown), which is neither a pin nor a state variable"
            }
        }
        return nil
    }
}
