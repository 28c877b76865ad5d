import ArgumentParser
import Cosim
import DSLFuzz
import Foundation

/// `normforge fuzz dsl`: differential fuzzing of the DSL (docs/fuzzing.md).
struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz", abstract: "Differential fuzzing.", subcommands: [FuzzDSLCommand.self])
}

struct FuzzDSLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dsl", abstract: "Random legal DSL designs on the IR simulator, Verilator and Icarus, every output every cycle; Verilator -Wall lint and Yosys synthesis of the emitted SystemVerilog.")

    @Option(help: "Random designs.") var designs = 100
    @Option(help: "Seed of the design stream and the stimulus.") var seed: UInt64 = 1
    @Option(help: "Index of the first design (a shard of a long run: --first K --designs N).") var first = 0
    @Option(help: "Designs per batch (one Verilator build each).") var batch = 25
    @Option(help: "Cycles compared per design after its warm-up.") var cycles = 200
    @Option(help: "Comma-separated: ir,verilator,icarus (the IR simulator is the reference).") var backends = "ir,verilator,icarus"
    @Flag(inversion: .prefixedNo, help: "Lint every batch with verilator --lint-only -Wall.") var lint = true
    @Flag(inversion: .prefixedNo, help: "Have Yosys read and synthesize every batch.") var yosys = true
    @Flag(help: "Print the report as JSON.") var json = false

    func run() throws {
        guard designs >= 1, batch >= 1, cycles >= 1, first >= 0 else { throw BadInput("--designs, --batch and --cycles must be at least 1, --first at least 0") }
        let chosen = try backends.split(separator: ",").map { name -> SimulationBackend in
            guard let backend = SimulationBackend(argument: String(name)) else {
                throw BadInput("unknown backend '\(name)' (ir, verilator, icarus)")
            }
            return backend
        }
        let fuzz = DifferentialFuzz(seed: seed, first: first, designs: designs, batchSize: batch, cycles: cycles,
                                    backends: [.irSim] + chosen.filter { $0 != .irSim }, lint: lint, yosys: yosys)
        let progress = ProgressLine.standardError
        progress.begin("fuzzing", total: designs, unit: "designs")
        let report = fuzz.run { done, _ in progress.update(done) }
        progress.end()
        if json {
            print(try JSONOutput.text(report))
        } else {
            print("""
                designs               \(report.designs) in \(report.batches) batches (seed \(seed))
                backends              \(report.backends.joined(separator: ", ")) (IR simulator = reference)
                cycles                \(report.cycles) per backend, \(report.checks) output checks
                disagreements         \(report.disagreements)
                crashes               \(report.crashes)
                lint / yosys failures \(report.lintFailures) / \(report.yosysFailures)
                time                  \(String(format: "%.1f s", report.seconds))
                """)
            for f in report.failures.prefix(20) {
                print("  \(f.kind) design \(f.design.map(String.init) ?? "-") \(f.backend ?? "") cycle \(f.cycle.map(String.init) ?? "-") \(f.port ?? ""): \(f.message)")
            }
        }
        if !report.passed { throw CheckFailed("\(report.disagreements) disagreements, \(report.crashes) crashes, \(report.lintFailures + report.yosysFailures) tool failures") }
    }
}
