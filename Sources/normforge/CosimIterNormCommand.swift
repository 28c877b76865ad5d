import ArgumentParser
import CircuitCosim
import Circuits
import Cosim
import Foundation
import Golden
import HDL

/// `normforge cosim iternorm [parameters] --d N --vectors N --seed S [--backend B] [--json]`.
struct CosimIterNormCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iternorm",
        abstract: "Random and edge-case vectors through the IterNorm macro, compared with the golden model.")

    @OptionGroup var parameters: IterNormParameters

    @OptionGroup var bfp: IterNormBFPOptions

    @Option(help: "Vector length (a multiple of lanes up to d-max), a comma-separated list or 'all' (every legal length): with several, each block of \(IterNormStimulus.lengthBlock) vectors draws its length.")
    var d = "1024"

    @Option(help: "Number of vectors (the edge classes come first, then one every \(IterNormStimulus.edgePeriod)).")
    var vectors = 100

    @Option(help: "Run only slice I of N of the vectors (I = 0..N-1): vector i depends on (seed, i) only, so N shards together are the whole run.")
    var shard = ShardArgument.whole

    @Option(help: "Stimulus seed.")
    var seed: UInt64 = 1

    @Option(help: "Simulator: verilator, icarus (replayed from the IR simulator's run) or ir.")
    var backend = SimulationBackend.verilator

    @Option(name: .customLong("back-pressure"), help: "Fraction of cycles the output is not ready (0..<1).")
    var backPressure = 0.0

    @Option(name: .customLong("cxx-opt"),
            help: "C++ optimization level of the Verilator model: 0, 1 (default: the best build time for the simulation speed, docs/regression.md), 2, 3 or s.")
    var cxxOptimization = "1"

    @OptionGroup var gateLevel: GateLevelOptions

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Option(help: "Also write the JSON report to this file (atomically: a regression shard's result).")
    var output: String?

    @Option(help: "Build the Verilator model with coverage (line, toggle, functional points) and write coverage.dat, the lcov coverage.info and genhtml's html/ into this directory.")
    var coverage: String?

    private var coverageFile: URL? {
        coverage.map { URL(fileURLWithPath: $0, isDirectory: true).appendingPathComponent("coverage.dat") }
    }

    private var testbenchOptions: TestbenchOptions {
        TestbenchOptions(verilator: VerilatorOptions(optimization: "-O" + cxxOptimization), coverageFile: coverageFile)
    }

    /// Creates the coverage directory before the run (bad input if it cannot be).
    private func prepareCoverage() throws {
        guard let coverage else { return }
        guard backend == .verilator else { throw BadInput("--coverage needs --backend verilator") }
        do { try FileManager.default.createDirectory(atPath: coverage, withIntermediateDirectories: true) } catch {
            throw BadInput("cannot create \(coverage): \(error.localizedDescription)")
        }
    }

    /// The coverage report of the finished run: lcov tracefile, HTML, the functional points.
    private func coverageReport(_ design: Design) throws -> CoverageReport? {
        guard let coverageFile else { return nil }
        return try CoverageReport.render(data: coverageFile, sources: try VerilogDesign(design).sources)
    }

    func run() throws {
        let macro = try parameters.macro()
        let lengths = try IterNormParameters.lengths(d, for: macro.config)
        guard vectors >= 1 else { throw BadInput("--vectors must be at least 1") }
        guard backPressure >= 0 && backPressure < 1 else { throw BadInput("--back-pressure must be in [0, 1)") }
        guard ["0", "1", "2", "3", "s"].contains(cxxOptimization) else {
            throw BadInput("--cxx-opt must be one of 0, 1, 2, 3, s (got \(cxxOptimization))")
        }
        try prepareCoverage()
        let gates = try gateLevel.prepare(backend: backend)
        if gates != nil && coverage != nil { throw BadInput("--coverage measures the RTL: drop --gate-level") }
        let options = gates?.options(testbenchOptions) ?? testbenchOptions
        if let bfpMacro = try bfp.macro(around: macro) {
            guard lengths.count == 1, shard == .whole else { throw BadInput("--bfp-in takes one --d and no --shard") }
            guard output == nil else { throw BadInput("--output is for plain iternorm runs (not --bfp-in)") }
            return try runBFP(bfpMacro, d: lengths[0], options: options, gates: gates)
        }
        guard shard.range(of: vectors).count >= 1 else {
            throw BadInput("--shard \(shard.description) of \(vectors) vectors is empty: use fewer shards")
        }
        let summary = try IterNormRegressionRun(macro: macro, backend: backend, options: options, lengths: lengths,
                                                total: vectors, seed: seed, shard: shard, backPressure: backPressure).run()
        let coverageReport = try coverageReport(try macro.design())
        let gateSummary = try gates.flatMap { try $0.summary(vectors: summary.vectors,
                                             elements: summary.lengths.reduce(0) { $0 + $1.d * $1.vectors }) }
        let document = CosimJSON(summary, backend: backend, coverage: coverageReport, gateLevel: gateSummary)
        try JSONOutput.save(try JSONOutput.data(document), to: output)
        if json {
            print(try JSONOutput.text(document))
        } else {
            let slice = shard == .whole ? "" : ", shard \(shard.description) (vectors \(summary.firstVector)..<\(summary.firstVector + summary.vectors) of \(vectors))"
            var lines = ["IterNorm \(macro.config)",
                         "d = \(d), vectors = \(summary.vectors), backend = \(summary.backend), seed = \(seed)\(slice)",
                         "mismatches        \(summary.mismatches)"]
            let first = summary.lengths[0].d
            lines.append("latency           \(summary.latencyCycles) cycles at d = \(first) (first input beat to last output beat, idle macro)")
            if let rate = summary.cyclesPerVector {
                lines.append("cycles/vector     \(String(format: "%.2f", rate)) streamed (\(String(format: "%.1f", Double(first) / rate)) elements/cycle)")
            } else {
                lines.append("lengths           \(summary.lengths.count) stretches over \(Set(summary.lengths.map(\.d)).count) lengths, the macro drained and reconfigured between them")
            }
            lines.append("speed             \(String(format: "%.0f", summary.vectorsPerS)) vectors/s simulated and checked; model build \(String(format: "%.1f", summary.buildS)) s"
                         + (document.verilatorVersion.map { " (\($0))" } ?? ""))
            print(lines.joined(separator: "\n"))
            for mismatch in summary.mismatchDetails { print("  \(mismatch)") }
            if let coverageReport { print(CoverageSummaryText.lines(coverageReport).joined(separator: "\n")) }
            if let gateSummary { print(gateSummary.text) }
        }
        if summary.mismatches > 0 { throw CheckFailed("\(summary.mismatches) mismatching output beats") }
    }

    /// The macro with BFP ports: BFP edge classes, then random vectors, on any Testbench backend.
    private func runBFP(_ macro: IterNormBFPMacro, d: Int, options: TestbenchOptions, gates: GateLevelRun?) throws {
        var stimulus: IterNormBFPStimulus
        do { stimulus = try IterNormBFPStimulus(config: macro.config, d: d, seed: seed) } catch { throw BadInput(error.message) }
        let stream = try (0..<vectors).map { try stimulus.vector($0) }
        let report = try IterNormBFPCosimulation(macro: macro, backend: backend, options: options)
            .run(stream, gamma: stimulus.gamma, beta: stimulus.beta, backPressure: backPressure, seed: seed)
        let coverageReport = try coverageReport(try macro.design())
        let gateSummary = try gates.flatMap { try $0.summary(vectors: report.vectors, elements: report.vectors * d) }
        if json {
            print(try JSONOutput.text(CosimJSON(report, backend: backend, coverage: coverageReport, gateLevel: gateSummary)))
        } else {
            print("""
                IterNorm with BFP ports \(macro.config.iterNorm)
                bfp-in \(macro.config.input), bfp-out \(macro.config.output)
                d = \(d), vectors = \(report.vectors) (\(min(vectors, stimulus.edgeKinds.count)) edge classes), backend = \(report.backend), seed = \(seed)
                mismatches        \(report.mismatches) (\(report.outputBeats) output beats compared)
                latency           \(report.latencyCycles) cycles (IterNorm macro \(report.macroLatencyCycles) + BFP edges \(macro.edgeLatency))
                cycles/vector     \(String(format: "%.2f", report.cyclesPerVector)) streamed
                """)
            for mismatch in report.mismatchDetails { print("  \(mismatch)") }
            if let coverageReport { print(CoverageSummaryText.lines(coverageReport).joined(separator: "\n")) }
            if let gateSummary { print(gateSummary.text) }
        }
        if report.mismatches > 0 { throw CheckFailed("\(report.mismatches) mismatching output checks") }
        if report.latencyCycles != report.expectedLatencyCycles {
            throw CheckFailed("latency \(report.latencyCycles) cycles, the generator predicts \(report.expectedLatencyCycles)")
        }
    }
}
