import Cosim
import Foundation
import HDL

/// Yosys's synthesized netlist of emitted files (what the `yosys-netlist` simulator runs).
enum YosysNetlist {
    static let fileName = "yosys_netlist.v"

    /// `coarse`: the steps of `synth`'s coarse stage (Yosys 0.23) except `alumacc`, whose `$alu`
    /// and `$macc` cells `write_verilog` cannot print, then the `opt -fast` that starts the fine
    /// stage (`memory_dff` can leave a read register's old input used but undriven until the next
    /// `opt`: seed 2026 design 640); `full`: `synth` (gates, ABC). Then `check -assert` and the
    /// netlist.
    static func script(files: [String], top: String, synthesis: YosysSynthesis) -> String {
        let synth = synthesis == .full ? "synth -top \(top)"
            : "hierarchy -check -top \(top); proc; opt_expr; opt_clean; check; opt -nodffe -nosdff; fsm; opt; "
                + "wreduce; peepopt; opt_clean; share; opt; memory -nomap; opt_clean; opt -fast"
        return "read_verilog -sv \(files.joined(separator: " ")); \(synth); check -assert; write_verilog -noattr \(fileName)"
    }

    /// Runs Yosys on `files`, already written in `directory`; the netlist, or `YosysFailed`.
    static func run(files: [String], top: String, synthesis: YosysSynthesis, in directory: URL) throws -> String {
        let run = try ProcessRunner.run(.yosys, ["-q", "-p", script(files: files, top: top, synthesis: synthesis)], in: directory)
        guard run.succeeded else { throw YosysFailed(output: run.stderr + run.stdout) }
        return try String(contentsOf: directory.appendingPathComponent(fileName), encoding: .utf8)
    }

    /// Writes `files` to a scratch directory and runs Yosys there.
    static func synthesize(_ files: [EmittedFile], top: String, synthesis: YosysSynthesis = .coarse) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("normforge-yosys-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for file in files { try file.text.write(to: dir.appendingPathComponent(file.fileName), atomically: true, encoding: .utf8) }
        return try run(files: files.map(\.fileName), top: top, synthesis: synthesis, in: dir)
    }

    /// The netlist as a design with `verilog`'s ports, clock and reset (Yosys keeps them).
    static func design(_ netlist: String, like verilog: VerilogDesign) throws -> VerilogDesign {
        try VerilogDesign(topModule: verilog.topModule, sources: [VerilogSource(fileName: fileName, text: netlist)],
                          ports: verilog.ports, clock: verilog.clock, reset: verilog.reset)
    }
}

struct YosysFailed: Error, CustomStringConvertible {
    let output: String
    var description: String { "yosys failed: \(output.suffix(2000))" }
}
