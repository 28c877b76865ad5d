import ArgumentParser
import Cosim
import Foundation

/// `normforge bench cosim`: cycles/s of the pipelined MAC through the in-process Verilator
/// bridge, a hand-written C++ harness and Icarus, and Verilator build time cold vs cached.
struct BenchCosimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cosim",
        abstract: "Co-simulation throughput: in-process bridge vs C++ harness vs Icarus; compile cold vs cached.")

    @Option(help: "Cycles for the in-process bridge and the C++ harness.")
    var cycles = 5_000_000

    @Option(help: "Cycles for Icarus (about 100x slower).")
    var icarusCycles = 100_000

    @Option(help: "The testbenches directory (default: ./testbenches).")
    var testbenches: String?

    @Option(help: "Also write the JSON result to this file.")
    var output: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        guard cycles > 0, icarusCycles > 0 else { throw BadInput("--cycles and --icarus-cycles must be positive") }
    }

    func run() throws {
        let directory = URL(fileURLWithPath: testbenches ?? "testbenches", isDirectory: true)
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(PipelinedMacReference.sourcePath).path) else {
            throw BadInput("no \(PipelinedMacReference.sourcePath) under \(directory.path); run from the repository root or pass --testbenches")
        }
        let benchmark = CosimBenchmark(testbenches: directory, cycles: cycles, icarusCycles: icarusCycles)
        let result = try benchmark.run { message in
            if !json { FileHandle.standardError.write(Data("… \(message)\n".utf8)) }
        }
        let data = try JSONOutput.data(result)
        try JSONOutput.save(data, to: output)
        if json {
            print(String(decoding: data, as: UTF8.self))
            return
        }
        func rate(_ value: Double) -> String { String(format: "%8.2f M cycles/s", value / 1e6) }
        print("design \(result.design), \(result.cycles) cycles (Icarus \(result.icarusCycles)), \(result.verilatorVersion)")
        print("in-process bridge  \(rate(result.inprocessCyclesPerS))")
        print("C++ harness        \(rate(result.cppCyclesPerS))   in-process/C++    \(String(format: "%.2f", result.inprocessVsCpp))x")
        print("C++ direct eval    \(rate(result.cppDirectCyclesPerS))   in-process/direct \(String(format: "%.2f", result.inprocessVsCppDirect))x")
        print("Icarus             \(rate(result.icarusCyclesPerS))   in-process/Icarus \(String(format: "%.0f", result.inprocessVsIcarus))x")
        print("compile cold \(String(format: "%.2f", result.compileColdS)) s, cached \(String(format: "%.3f", result.compileCachedS)) s"
              + " (\(result.cachedVerilatorRuns) Verilator runs)"
              + (result.runtimeBuildS > 0 ? ", runtime archive built in \(String(format: "%.1f", result.runtimeBuildS)) s" : ""))
    }
}
