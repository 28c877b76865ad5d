import ArgumentParser
import Circuits
import Cosim
import Foundation
import Golden

/// `normforge report <circuit>`: a self-contained HTML report of one macro.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Measure a macro and write a self-contained HTML report (inline SVG plots, tables).",
        subcommands: [ReportIterNormCommand.self])
}

/// The options `report iternorm` and `flow iternorm --report` share.
struct IterNormReportOptions: ParsableArguments {
    @Option(name: .customLong("report-d"), help: "Lengths to co-simulate and measure (comma-separated; default: the powers of two from lanes to d-max, and d-max).")
    var reportD: String?

    @Option(name: .customLong("report-vectors"), help: "Vectors co-simulated per length.")
    var reportVectors = 24

    @Option(name: .customLong("report-trials"), help: "N(0,1) vectors per length for the precision.")
    var reportTrials = 8

    @Option(help: "Also render the page in headless Chromium to this PNG (what a reviewer sees).")
    var screenshot: String?

    /// The lengths to measure.
    func lengths(_ c: IterNormConfig) throws -> [Int] {
        if let reportD { return try IterNormParameters.lengths(reportD, for: c) }
        var lengths: [Int] = []
        var d = c.lanes
        while d < c.dMax { lengths.append(d); d *= 2 }
        return lengths + [c.dMax]
    }

    /// Measures, writes `DIR/index.html` (and `DIR/report.json`), renders the screenshot.
    func write(_ macro: IterNormMacro, seed: UInt64, synthesis: SynthesisOptions?, asic: SynthesisOptions? = nil,
               to directory: String) async throws -> (report: IterNormReport, page: URL) {
        guard reportVectors >= 3 else { throw BadInput("--report-vectors must be at least 3 (latency, then a stream)") }
        guard reportTrials >= 1 else { throw BadInput("--report-trials must be at least 1") }
        let lengths = try lengths(macro.config)
        let report = try await IterNormReport.measure(macro, lengths: lengths, vectors: reportVectors, trials: reportTrials,
                                                      seed: seed, synthesis: synthesis, asic: asic)
        let dir = URL(fileURLWithPath: directory, isDirectory: true)
        let page = dir.appendingPathComponent("index.html")
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try report.html().write(to: page, atomically: true, encoding: .utf8)
            try JSONOutput.save(try JSONOutput.data(report), to: dir.appendingPathComponent("report.json").path)
        } catch let error as BadInput { throw error } catch {
            throw BadInput("cannot write to \(directory): \(error.localizedDescription)")
        }
        if let screenshot { try HeadlessChromium.screenshot(page, to: URL(fileURLWithPath: screenshot)) }
        return (report, page)
    }
}

struct ReportIterNormCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iternorm", abstract: "Latency and rate vs d (co-simulated), precision vs d (vs FISR and the correctly rounded result), area and paths per unit.")

    @OptionGroup var parameters: IterNormParameters
    @OptionGroup var report: IterNormReportOptions
    @Option(help: "Stimulus and precision seed.") var seed: UInt64 = 1
    @Flag(inversion: .prefixedNo, help: "Synthesize with Yosys (area and paths; cached). --asic adds the standard-cell section.") var synth = true
    @OptionGroup var synthesis: SynthesisOptions
    @Option(help: "Output directory (created if missing): index.html and report.json.") var out: String
    @Flag(help: "Print the report's figures as JSON.") var json = false

    func run() async throws {
        let macro = try parameters.macro()
        let (result, page) = try await report.write(macro, seed: seed, synthesis: synth ? synthesis : nil,
                                                    asic: synthesis.asic ? synthesis : nil, to: out)
        if json {
            print(try JSONOutput.text(result))
        } else {
            print("\(result.top): report written to \(page.path)" + (report.screenshot.map { ", screenshot \($0)" } ?? ""))
        }
        let mismatches = result.timing.reduce(0) { $0 + $1.mismatches }
        if mismatches > 0 { throw CheckFailed("\(mismatches) mismatching output beats against the golden model") }
    }
}
