import ArgumentParser
import CircuitCosim
import Circuits
import Cosim
import Foundation
import Golden

/// `normforge flow iternorm [parameters]`: the main job in one command. Generates the macro,
/// co-simulates it against the golden model at several d, synthesizes it with Yosys (results
/// cached) and measures its configuration's precision against FP64; prints a one-screen summary.
struct FlowIterNormCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iternorm",
        abstract: "Generate, co-simulate (bit-exact vs the golden model), synthesize and measure the precision of an IterNorm macro; one-screen summary.")

    @OptionGroup var parameters: IterNormParameters

    @Option(help: "Output directory for the SystemVerilog (created if missing).")
    var out = ".build/iternorm"

    @Option(name: .customLong("d"), help: "Comma-separated vector lengths to co-simulate (default: lanes and d-max).")
    var dims: String?

    @Option(help: "Vectors per d (the edge classes come first).")
    var vectors = 40

    @Option(help: "Stimulus and precision seed.")
    var seed: UInt64 = 1

    @Option(name: .customLong("precision-trials"), help: "Random N(0,1) vectors per d for the precision against FP64.")
    var precisionTrials = 8

    @Flag(inversion: .prefixedNo, help: "Synthesize with Yosys (a 64-lane macro: ~1 min generic + ~2 min Xilinx, then cached).")
    var synth = true

    @OptionGroup var synthesis: SynthesisOptions

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Option(help: "Also write the HTML report (normforge report iternorm) into this directory.")
    var report: String?

    @OptionGroup var reportOptions: IterNormReportOptions

    /// What `flow iternorm --json` prints.
    struct Report: Codable {
        var top: String
        var parameters: String
        var directory: String
        var files: [String]
        /// The FuseSoC core written beside the files.
        var core: String
        var cosimulation: [DimReport]
        var mismatches: Int
        var synthesis: SynthesisReport?
        var precision: [ConfigurationPrecision]
        /// `--report DIR`: the HTML page written.
        var reportPage: String?
        var seconds: Double
    }

    struct DimReport: Codable {
        var d: Int
        var report: IterNormCosimReport
        /// `IterNormMacro.latency(d:)`: what the generator promises; the co-simulation must agree.
        var predictedLatencyCycles: Int
    }

    func run() async throws {
        let start = Date()
        let macro = try parameters.macro()
        let c = macro.config
        let lengths = try parseLengths(c)
        guard vectors >= 1 else { throw BadInput("--vectors must be at least 1") }
        guard precisionTrials >= 1 else { throw BadInput("--precision-trials must be at least 1") }

        let files = try macro.emit()
        let written = try OutputDirectory.write(files, top: macro.topName,
                                                description: "NormForge IterNorm: " + macro.parameterLines.joined(separator: ", "), to: out)
        if !json { FileHandle.standardError.write(Data("generated \(files.count) modules in \(out); co-simulating\n".utf8)) }

        let cosim = IterNormCosimulation(macro: macro, backend: .verilator,
                                         options: TestbenchOptions(verilator: VerilatorOptions(optimization: "-O0")))
        var dimReports: [DimReport] = []
        for d in lengths {
            let report = try cosim.runStream(d: d, vectors: vectors, seed: seed)
            dimReports.append(DimReport(d: d, report: report, predictedLatencyCycles: macro.latency(d: d)))
        }
        var synthesisReport: SynthesisReport?
        if synth {
            if !json { FileHandle.standardError.write(Data("synthesizing (Yosys; cached after the first run)\n".utf8)) }
            synthesisReport = try SynthIterNormCommand.report(try macro.design(), config: c,
                                                              latencyCycles: macro.latency(d: c.dMax), options: synthesis)
        }
        var precision: [ConfigurationPrecision] = []
        for d in lengths {
            do { precision.append(try ConfigurationPrecision.measure(c, d: d, trials: precisionTrials, seed: seed)) } catch {
                throw BadInput(error.message)
            }
        }
        var reportPage: String?
        if let report {
            if !json { FileHandle.standardError.write(Data("writing the HTML report into \(report)\n".utf8)) }
            reportPage = try await reportOptions.write(macro, seed: seed, synthesis: synth ? synthesis : nil, to: report).page.path
        }
        let mismatches = dimReports.reduce(0) { $0 + $1.report.mismatches }
        let report = Report(top: macro.topName, parameters: c.description + " slots=\(macro.slots)", directory: out, files: written.sources, core: written.core,
                            cosimulation: dimReports, mismatches: mismatches, synthesis: synthesisReport,
                            precision: precision, reportPage: reportPage, seconds: Date().timeIntervalSince(start))
        if json { print(try JSONOutput.text(CosimJSON(report, backend: .verilator))) } else { printSummary(report) }
        if mismatches > 0 { throw CheckFailed("\(mismatches) mismatching output checks against the golden model") }
        if let wrong = dimReports.first(where: { $0.report.latencyCycles != $0.predictedLatencyCycles }) {
            throw CheckFailed("latency at d = \(wrong.d): \(wrong.report.latencyCycles) cycles, the generator predicts \(wrong.predictedLatencyCycles)")
        }
    }

    private func parseLengths(_ c: IterNormConfig) throws -> [Int] {
        guard let dims else { return c.lanes == c.dMax ? [c.dMax] : [c.lanes, c.dMax] }
        return try IterNormParameters.lengths(dims, for: c)
    }

    private func printSummary(_ r: Report) {
        func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: max(n, s.count + 1), withPad: " ", startingAt: 0) }
        var lines = ["\(r.top)", "parameters    \(r.parameters)", "generated     \(r.files.count) files in \(r.directory)",
                     "co-simulation Verilator vs golden model, seed \(seed)",
                     "  " + pad("d", 7) + pad("vectors", 9) + pad("mismatches", 12) + pad("latency", 9) + pad("cycles/vector", 15) + "elements/cycle"]
        for dim in r.cosimulation {
            let rep = dim.report
            lines.append("  " + pad("\(dim.d)", 7) + pad("\(rep.vectors)", 9) + pad("\(rep.mismatches)", 12)
                         + pad("\(rep.latencyCycles)", 9) + pad(String(format: "%.2f", rep.cyclesPerVector), 15)
                         + String(format: "%.1f", Double(dim.d) / rep.cyclesPerVector))
        }
        if let s = r.synthesis {
            let hierarchy = s.flattened ? "flattened" : "hierarchy kept"
            lines.append("synthesis     Yosys generic: \(s.genericCells) cells (\(s.genericFlipFlops) flip-flops; "
                         + "\(s.memories) memories, \(s.memoryBits) bits), \(hierarchy)")
            for b in s.pathBudgets {
                lines.append("              longest path \(s.longestPathCells) cells = "
                             + String(format: "%.2fx", b.ratio) + " the \(b.multiplierPathCells) of \(b.multiplier)"
                             + (b.limit.map { String(format: " (limit %.1fx)", $0) } ?? ""))
            }
            if let x = s.xilinx {
                lines.append("              Xilinx 7-series: \(x.luts) LUT, \(x.lutRams) LUTRAM, \(x.shiftRegisterLuts) SRL, "
                             + "\(x.flipFlops) FF, \(x.dsps) DSP48E1, \(x.carries) CARRY4, \(x.blockRams) RAMB")
            }
        }
        lines.append("precision     vs FP64 LayerNorm/RMSNorm, N(0,1), \(precisionTrials) vectors per d")
        lines.append("  " + pad("d", 7) + pad("mean |error|", 14) + pad("max ulp", 10) + pad("rounded mean", 14) + "rounded max ulp")
        for p in r.precision {
            lines.append("  " + pad("\(p.d)", 7) + pad(String(format: "%.3e", p.iterNorm.meanAbsError), 14)
                         + pad(String(format: "%.2f", p.iterNorm.maxUlpError), 10)
                         + pad(String(format: "%.3e", p.correctlyRounded.meanAbsError), 14)
                         + String(format: "%.2f", p.correctlyRounded.maxUlpError))
        }
        lines.append(r.mismatches == 0 ? "result        bit-exact: 0 mismatches" : "result        \(r.mismatches) MISMATCHES")
        if let page = r.reportPage { lines.append("report        \(page)") }
        lines.append(String(format: "time          %.0f s", r.seconds))
        print(lines.joined(separator: "\n"))
    }
}

/// `normforge flow <circuit>`.
struct FlowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flow", abstract: "Generate, co-simulate, synthesize and measure a circuit in one run.",
        subcommands: [FlowIterNormCommand.self])
}

extension IterNormCosimulation {
    /// `vectors` vectors of length `d` from `IterNormStimulus` (edge classes first), streamed
    /// through the macro; a vector the configuration rejects is a failed check.
    func runStream(d: Int, vectors: Int, seed: UInt64) throws -> IterNormCosimReport {
        var stimulus = IterNormStimulus(macro.config, seed: seed)
        let stream = (0..<vectors).map { stimulus.vector($0, d: d) }
        do { return try run(stream, seed: seed) } catch let error as IterNormError { throw CheckFailed(error.message) }
    }
}
