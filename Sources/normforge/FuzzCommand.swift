import ArgumentParser
import Cosim
import DSLFuzz
import Foundation

/// `normforge fuzz dsl` and `fuzz merge`: differential fuzzing of the DSL (docs/fuzzing.md).
struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz", abstract: "Differential fuzzing.", subcommands: [FuzzDSLCommand.self, FuzzMergeCommand.self])
}

struct FuzzDSLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dsl",
        abstract: "Random legal DSL designs on the IR simulator, Verilator, Icarus and Yosys's netlist, every output every cycle; "
            + "Verilator -Wall, slang and Yosys on the emitted SystemVerilog; one illegal mutant per design with its exact diagnostic.")

    @Option(help: "Random designs.") var designs = 100
    @Option(help: "Seed of the design stream and the stimulus.") var seed: UInt64 = 1
    @Option(help: "Index of the first design (a shard of a long run: --first K --designs N).") var first = 0
    @Option(help: "Designs per batch (one build per tool each).") var batch = 25
    @Option(help: "Cycles compared per design after its warm-up.") var cycles = 200
    @Option(help: "Comma-separated, compared with the IR simulator: verilator,icarus,yosys-netlist.") var backends = "verilator,icarus,yosys-netlist"
    @Option(help: "Yosys on every batch: coarse (synth -run :fine), full (synth with ABC) or off.") var yosys = "coarse"
    @Flag(inversion: .prefixedNo, help: "Lint every batch with verilator --lint-only -Wall.") var lint = true
    @Flag(inversion: .prefixedNo, help: "Compile every batch with slang (pyslang).") var slang = true
    @Flag(inversion: .prefixedNo, help: "Check one illegal mutant per design for its exact diagnostic.") var mutants = true
    @Option(help: "Shrink up to this many failing designs to a minimal reproduction.") var shrink = 1
    @Option(name: .customLong("verilator-flag"), help: "An extra verilator flag (repeatable), e.g. to re-enable an optimization a workaround turns off.")
    var verilatorFlags: [String] = []
    @Flag(help: "Print the report as JSON.") var json = false

    func run() throws {
        guard designs >= 1, batch >= 1, cycles >= 1, first >= 0, shrink >= 0 else {
            throw BadInput("--designs, --batch and --cycles must be at least 1, --first and --shrink at least 0")
        }
        guard let synthesis = YosysSynthesis(rawValue: yosys) else { throw BadInput("--yosys must be coarse, full or off, got '\(yosys)'") }
        let chosen = try backends.split(separator: ",").filter { $0 != "ir" && $0 != "ir-sim" }.map { name -> FuzzSimulator in
            guard let simulator = FuzzSimulator(rawValue: String(name)) else {
                throw BadInput("unknown backend '\(name)' (ir, verilator, icarus, yosys-netlist)")
            }
            return simulator
        }
        if chosen.contains(.yosysNetlist) && synthesis == .off { throw BadInput("the yosys-netlist backend needs --yosys coarse or full") }
        var fuzz = DifferentialFuzz(seed: seed, first: first, designs: designs, batchSize: batch, cycles: cycles, simulators: chosen,
                                    lint: lint, slang: slang, yosys: synthesis, mutants: mutants, shrinkLimit: shrink)
        fuzz.verilatorFlags = verilatorFlags
        let progress = ProgressLine.standardError
        progress.begin("fuzzing", total: designs, unit: "designs")
        let report = fuzz.run { done, _ in progress.update(done) }
        progress.end()
        try FuzzReportText.print(report, json: json)
    }
}

struct FuzzMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Merge the JSON reports of a sharded fuzz run (make fuzz, Slurm arrays) into one.")

    @Argument(help: "JSON reports of `fuzz dsl --json`.") var reports: [String]
    @Flag(help: "Print the merged report as JSON.") var json = false

    func run() throws {
        let shards = try reports.map { path -> FuzzReport in
            guard let data = FileManager.default.contents(atPath: path) else { throw BadInput("cannot read \(path)") }
            do { return try JSONOutput.decode(FuzzReport.self, from: data) } catch { throw BadInput("\(path) is not a fuzz report: \(error)") }
        }
        guard let merged = FuzzReport.merged(shards) else { throw BadInput("no reports to merge") }
        try FuzzReportText.print(merged, json: json)
    }
}

enum FuzzReportText {
    /// Prints `report` (text or JSON); throws `CheckFailed` (exit 1) when anything failed.
    static func print(_ report: FuzzReport, json: Bool) throws {
        if json {
            Swift.print(try JSONOutput.text(report))
        } else {
            Swift.print("""
                designs               \(report.designs) (\(report.first)..<\(report.first + report.designs), seed \(report.seed)), \(report.batches) batches
                backends              \(report.backends.joined(separator: ", ")) (IR simulator = reference)
                cycles                \(report.cycles) per backend, \(report.checks) output checks
                disagreements         \(report.disagreements)
                crashes               \(report.crashes)
                mutants               \(report.mutants), diagnostic mismatches \(report.diagnosticMismatches)
                lint / slang / yosys  \(report.lintFailures) / \(report.slangFailures) / \(report.yosysFailures) failures
                time                  \(String(format: "%.1f s", report.seconds)) (\(report.stageSeconds.sorted { $0.value > $1.value }
                    .map { "\($0.key) \(String(format: "%.0f", 100 * $0.value / max(report.seconds, 1e-9))) %" }.joined(separator: ", ")))
                """)
            for f in report.failures.prefix(20) {
                Swift.print("  \(f.kind.rawValue) design \(f.design.map(String.init) ?? "-") \(f.backend ?? "") cycle \(f.cycle.map(String.init) ?? "-") \(f.port ?? ""): \(f.message)")
            }
            for r in report.reproductions {
                Swift.print("""

                    design \(r.design) on \(r.backend), shrunk from \(r.sizeBefore) to \(r.sizeAfter) nodes and assignments: \
                    port \(r.port) differs first at cycle \(r.cycle) (IR simulator \(r.expected), \(r.backend) \(r.actual))
                    -- DSL --
                    \(r.dslSource)-- SystemVerilog --
                    \(r.systemVerilog)
                    """)
            }
        }
        if !report.passed {
            throw CheckFailed("\(report.disagreements) disagreements, \(report.crashes) crashes, \(report.diagnosticMismatches) wrong diagnostics, "
                + "\(report.lintFailures + report.slangFailures + report.yosysFailures) tool failures")
        }
    }
}
