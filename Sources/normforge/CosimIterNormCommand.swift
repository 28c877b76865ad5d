import ArgumentParser
import CircuitCosim
import Circuits
import Cosim
import Foundation
import Golden

/// `normforge cosim iternorm [parameters] --d N --vectors N --seed S [--backend B] [--json]`.
struct CosimIterNormCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iternorm",
        abstract: "Random and edge-case vectors through the IterNorm macro, compared with the golden model.")

    @OptionGroup var parameters: IterNormParameters

    @OptionGroup var bfp: IterNormBFPOptions

    @Option(help: "Vector length (a multiple of lanes up to d-max).")
    var d = 1024

    @Option(help: "Number of vectors (the edge classes come first).")
    var vectors = 100

    @Option(help: "Stimulus seed.")
    var seed: UInt64 = 1

    @Option(help: "Simulator: verilator, icarus (replayed from the IR simulator's run) or ir.")
    var backend = SimulationBackend.verilator

    @Option(name: .customLong("back-pressure"), help: "Fraction of cycles the output is not ready (0..<1).")
    var backPressure = 0.0

    @Option(name: .customLong("cxx-opt"),
            help: "C++ optimization level of the Verilator model: 0 (default: a 64-lane macro compiles in ~30 s of CPU, ~8 min at 2), 1, 2, 3 or s.")
    var cxxOptimization = "0"

    @Flag(help: "Print the report as JSON.")
    var json = false

    private var testbenchOptions: TestbenchOptions {
        TestbenchOptions(verilator: VerilatorOptions(optimization: "-O" + cxxOptimization))
    }

    func run() throws {
        let macro = try parameters.macro()
        do { try macro.config.validate(d: d) } catch { throw BadInput(error.message) }
        guard vectors >= 1 else { throw BadInput("--vectors must be at least 1") }
        guard backPressure >= 0 && backPressure < 1 else { throw BadInput("--back-pressure must be in [0, 1)") }
        guard ["0", "1", "2", "3", "s"].contains(cxxOptimization) else {
            throw BadInput("--cxx-opt must be one of 0, 1, 2, 3, s (got \(cxxOptimization))")
        }
        if let bfpMacro = try bfp.macro(around: macro) { return try runBFP(bfpMacro) }
        var stimulus = IterNormStimulus(macro.config, seed: seed)
        let stream = (0..<vectors).map { stimulus.vector($0, d: d) }
        let report: IterNormCosimReport
        do {
            report = try IterNormCosimulation(macro: macro, backend: backend, options: testbenchOptions)
                .run(stream, backPressure: backPressure, seed: seed)
        } catch let error as IterNormError {
            throw CheckFailed(error.message)
        }
        if json {
            print(try JSONOutput.text(report))
        } else {
            print("""
                IterNorm \(macro.config)
                d = \(d), vectors = \(report.vectors), backend = \(report.backend), seed = \(seed)
                mismatches        \(report.mismatches)
                latency           \(report.latencyCycles) cycles (first input beat to last output beat, idle macro)
                cycles/vector     \(String(format: "%.2f", report.cyclesPerVector)) streamed (\(String(format: "%.1f", Double(d) / report.cyclesPerVector)) elements/cycle)
                """)
            for mismatch in report.mismatchDetails { print("  \(mismatch)") }
        }
        if report.mismatches > 0 { throw CheckFailed("\(report.mismatches) mismatching output beats") }
    }

    /// The macro with BFP ports: BFP edge classes, then random vectors, on any Testbench backend.
    private func runBFP(_ macro: IterNormBFPMacro) throws {
        var stimulus: IterNormBFPStimulus
        do { stimulus = try IterNormBFPStimulus(config: macro.config, d: d, seed: seed) } catch { throw BadInput(error.message) }
        let stream = try (0..<vectors).map { try stimulus.vector($0) }
        let report = try IterNormBFPCosimulation(macro: macro, backend: backend, options: testbenchOptions)
            .run(stream, gamma: stimulus.gamma, beta: stimulus.beta, backPressure: backPressure, seed: seed)
        if json {
            print(try JSONOutput.text(report))
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
        }
        if report.mismatches > 0 { throw CheckFailed("\(report.mismatches) mismatching output checks") }
        if report.latencyCycles != report.expectedLatencyCycles {
            throw CheckFailed("latency \(report.latencyCycles) cycles, the generator predicts \(report.expectedLatencyCycles)")
        }
    }
}
