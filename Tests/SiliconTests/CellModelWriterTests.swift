import Cosim
import Foundation
import Silicon
import Testing

/// The written zero-delay models against the library's own Verilog models (gate primitives and
/// UDPs, written independently of our reader), in one Icarus run; and Verilator's lint.
struct CellModelWriterTests {
    static let library = StandardCellLibrary.defaultLiberty
    /// The library's own models, installed with it.
    static let referenceModels = library.deletingPathExtension().appendingPathExtension("v")
    /// Steps of each sequential cell's random sequence, after every input has been set once.
    static let randomSteps = 400

    private func scratchDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("normforge-cellmodels-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func everyOSUCellIsModelled() throws {
        let library = try LibertyLibrary(contentsOf: Self.library)
        for cell in library.cells {
            #expect(CellModelWriter.unmodelableReason(cell) == nil, "\(cell.name)")
        }
        let models = try CellModelWriter.verilog(library)
        #expect(models.components(separatedBy: "\nmodule ").count - 1 == 32)
        #expect(models.contains("assign Y = ~(A & B);"))
        // DFFSR: clear wins when both are asserted (clear_preset_var1 : L).
        #expect(models.contains("always @(posedge CLK or negedge R or posedge P0002_preset) begin"))
        #expect(models.contains("assign Y = (~EN) ? 1'bz : ~A;"))
    }

    @Test func namedCellsOnlyAndUnknownCellsFail() throws {
        let library = try LibertyLibrary(contentsOf: Self.library)
        let models = try CellModelWriter.verilog(library, cells: ["INVX1", "LATCH"], modulePrefix: "p_")
        #expect(models.contains("module p_INVX1 (A, Y);"))
        #expect(models.contains("module p_LATCH (CLK, D, Q);"))
        #expect(!models.contains("NAND2X1"))
        #expect(throws: LibertyError.self) { try CellModelWriter.verilog(library, cells: ["NOPE"]) }
    }

    @Test func unmodelableCellsAreSkippedOrRejected() throws {
        let text = """
            library (odd) {
              cell (st) { area : 1 ; statetable ("D", "IQ") { table : "H : - : H" ; }
                pin (D) { direction : input ; } pin (Q) { direction : output ; function : "IQ" ; } }
              cell (ghost) { area : 1 ; pin (A) { direction : input ; }
                pin (Y) { direction : output ; function : "A & B" ; } }
              cell (buf) { area : 1 ; pin (A) { direction : input ; } pin (Y) { direction : output ; function : "A" ; } }
            }
            """
        let library = try LibertyLibrary(text: text, path: "odd.lib")
        #expect(CellModelWriter.unmodelableReason(library.cells[0]) == "it has a statetable group")
        #expect(CellModelWriter.unmodelableReason(library.cells[1])
            == "a function reads B, which is neither a pin nor a state variable")
        let models = try CellModelWriter.verilog(library)
        // `buf` is a Verilog keyword: the module name is escaped.
        #expect(models.contains("module \\buf  (A, Y);"))
        #expect(!models.contains("ghost"))
        #expect(throws: LibertyError(path: "odd.lib", line: 4,
                                     message: "cell ghost: cannot write a model: a function reads B, which is neither a pin nor a state variable")) {
            try CellModelWriter.verilog(library, cells: ["ghost"])
        }
    }

    @Test func modelsPassVerilatorLint() throws {
        let library = try LibertyLibrary(contentsOf: Self.library)
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CellModelWriter.verilog(library).write(to: directory.appendingPathComponent("cells.v"), atomically: true, encoding: .utf8)
        // Every cell module is a top when the library is linted on its own; nothing else is waived.
        let result = try ProcessRunner.run(.verilator, ["--lint-only", "-Wall", "-Wno-MULTITOP", "cells.v"], in: directory)
        #expect(result.succeeded, "\(result.stderr)")
        #expect(!result.stderr.contains("%Warning"), "\(result.stderr)")
    }

    /// Every combinational cell on all input combinations, every sequential cell on a seeded random
    /// sequence flipping one input per step, ours (`nf_`) against the library's models: outputs
    /// identical (`!==`, so x and z count) at every step.
    @Test func modelsMatchTheLibrarysOwnVerilog() throws {
        let library = try LibertyLibrary(contentsOf: Self.library)
        let directory = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try CellModelWriter.verilog(library, modulePrefix: "nf_")
            .write(to: directory.appendingPathComponent("nf_cells.v"), atomically: true, encoding: .utf8)
        var generator = SplitMix64(seed: 0x4E46_4C49_4231_38)
        let benches = library.cells.map { Testbench(cell: $0, steps: Self.randomSteps, generator: &generator).text }
        try benches.joined(separator: "\n").write(to: directory.appendingPathComponent("tb.v"), atomically: true, encoding: .utf8)

        let iverilog = try ToolLocator().path(of: .iverilog), vvp = try ToolLocator().path(of: .vvp)
        let compile = try ProcessRunner.run(
            executable: iverilog, ["-g2012", "-o", "tb.vvp", Self.referenceModels.path, "nf_cells.v", "tb.v"], in: directory)
        try #require(compile.succeeded, "\(compile.stderr)")
        let run = try ProcessRunner.run(executable: vvp, ["-n", "tb.vvp"], in: directory)
        try #require(run.succeeded, "\(run.stderr)")
        let failures = run.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL") }
        #expect(failures.isEmpty, "\(failures.prefix(20).joined(separator: "\n"))")
        for cell in library.cells {
            let done = run.stdout.split(separator: "\n").first { $0.hasPrefix("DONE \(cell.name) ") }
            let fields = try #require(done, "no result for \(cell.name)").split(separator: " ")
            let compared = Int(fields[2].dropFirst("compared=".count)) ?? 0, steps = Int(fields[3].dropFirst("steps=".count)) ?? 0
            // Sequential cells are compared from the step at which the library's model leaves its
            // power-up x, which must come early.
            #expect(compared > 0 && compared >= steps * 9 / 10, "\(done!)")
        }
    }
}

/// A reproducible random sequence (SplitMix64), so that a failing step can be rerun.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

/// One cell's testbench module: the library's model and ours (`nf_`) on the same inputs.
///
/// Inputs start as x and are set one per step, so that both models see every change as an
/// event (a declaration initialiser would not be one). One input changes per step: in zero delay,
/// simultaneous changes of a clock and its data, or of a clear and a preset, race.
private struct Testbench {
    var text: String

    init(cell: LibertyCell, steps: Int, generator: inout SplitMix64) {
        let inputs = cell.inputs.map(\.name), outputs = cell.outputs.map(\.name)
        var lines = ["module tb_\(cell.name);"]
        lines += inputs.map { "  reg \($0);" }
        lines += outputs.flatMap { ["  wire ref_\($0);", "  wire nf_\($0);"] }
        func connections(_ side: String) -> String {
            (inputs.map { ".\($0)(\($0))" } + outputs.map { ".\($0)(\(side)_\($0))" }).joined(separator: ", ")
        }
        lines.append("  \(cell.name) reference (\(connections("ref")));")
        lines.append("  nf_\(cell.name) ours (\(connections("nf")));")
        let ref = "{" + outputs.map { "ref_\($0)" }.joined(separator: ", ") + "}"
        let ours = "{" + outputs.map { "nf_\($0)" }.joined(separator: ", ") + "}"
        let shownInputs = inputs.map { "\($0)=%b" }.joined(separator: " ")
        lines += [
            "  integer compared = 0, errors = 0, started = \(cell.isSequential ? 0 : 1);",
            "  task check(input integer step);",
            "    begin",
            "      if (!started && ^\(ref) !== 1'bx) started = 1;",
            "      if (started) begin",
            "        compared = compared + 1;",
            "        if (\(ref) !== \(ours)) begin",
            "          errors = errors + 1;",
            "          $display(\"FAIL \(cell.name) step %0d: \(outputs.joined(separator: ",")) library=%b ours=%b with \(shownInputs)\", step, \(ref), \(ours), \(inputs.joined(separator: ", ")));",
            "        end",
            "      end",
            "    end",
            "  endtask",
            "  initial begin",
        ]
        var stimulus: [String] = []
        if cell.isSequential {
            let clocks = Set(cell.storage!.clock.variables)
            // Set every input once, clocks last (their first edge then samples defined data).
            for name in inputs.filter({ !clocks.contains($0) }) + inputs.filter({ clocks.contains($0) }) {
                stimulus.append("\(name) = 1'b\(generator.below(2));")
            }
            let clockPins = inputs.filter { clocks.contains($0) }, others = inputs.filter { !clocks.contains($0) }
            for _ in 0..<steps {
                // Half the steps toggle a clock, so that the state is loaded often.
                let pool = !clockPins.isEmpty && (others.isEmpty || generator.below(2) == 0) ? clockPins : others
                let name = pool[generator.below(pool.count)]
                stimulus.append("\(name) = ~\(name);")
            }
        } else {
            for row in 0..<(1 << inputs.count) {
                stimulus.append(inputs.enumerated().map { "\($1) = 1'b\(row >> $0 & 1);" }.joined(separator: " "))
            }
        }
        for (step, line) in stimulus.enumerated() { lines.append("    \(line) #1 check(\(step));") }
        lines.append("    $display(\"DONE \(cell.name) compared=%0d steps=\(stimulus.count) errors=%0d\", compared, errors);")
        lines += ["  end", "endmodule", ""]
        text = lines.joined(separator: "\n")
    }
}
