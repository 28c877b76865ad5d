import ArgumentParser
import Cosim
import Foundation
import Golden

/// `normforge precision`: IterNorm vs FISR vs the naive LayerNorm against FP64.
struct PrecisionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "precision",
        abstract: "Error of IterNorm (K = 1..8, both forms), FISR (1..3 Newton steps), the naive LayerNorm "
            + "and the correctly rounded result against an FP64 LayerNorm; counts where IterNorm beats FISR.")

    @Option(name: .customLong("format"), help: "Formats (repeatable): fp32, fp16, bf16. Default: all three.")
    var formats: [String] = []

    @Option(help: "Arithmetic format of every method (default: the format itself; fp32 for fp16), or wide: IterNorm's wide mode (docs/precision.md; FISR and naive keep the default).")
    var accumulate: String?

    @Option(help: "Random vectors per (distribution, d).")
    var trials = 12

    @Option(help: "Seed of the random vectors.")
    var seed: UInt64 = 1

    @Option(help: "Comma-separated vector lengths (default: the nine OPT lengths and 64..1024).")
    var dims: String?

    @Option(name: .customLong("distribution"), help: "Distributions (repeatable): normal, shifted, heavy_tailed. Default: all.")
    var distributions: [String] = []

    @Option(help: "Also write the JSON document to this file.")
    var output: String?

    @Flag(help: "Print a JSON document instead of the tables.")
    var json = false

    @Option(help: "Also run IterNorm (scalar, K = 5) in the same, fp32 and wide modes on the same vectors and draw the error ratio against d, and against LUTs, into this SVG file.")
    var plot: String?

    @Option(help: "A `normforge synth iternorm --json` report (repeatable): its LUTs place that format and mode in the plot's accuracy-area panel.")
    var area: [String] = []

    @Flag(help: "Adversarial search instead of the random study: hill climbing on the input vector for the largest ulp error of IterNorm (scalar form, K = 5, no affine) per format, mode and d (docs/precision.md).")
    var search = false

    @Option(help: "With --search: model evaluations per (format, mode, d).")
    var evaluations = 100_000

    @Option(name: .customLong("mode"), help: "With --search: modes (repeatable): layernorm, rmsnorm. Default: both.")
    var modes: [String] = []

    @Option(help: "With --search: lanes P of the searched configuration (d-max = d).")
    var lanes = 64

    @Option(help: "With --search: eps of the searched configuration.")
    var eps = 0.0

    func run() async throws {
        if search {
            try await PrecisionSearchRun(command: self).run()
            return
        }
        let engines = try makeEngines()
        let luts = try areaFigures()
        var reports: [PrecisionReport] = []
        let progress = ProgressLine.standardError
        for engine in engines {
            reports.append(try await engine.run { done, total, label in progress.update(done, of: total, phase: label) })
            progress.end()
        }
        let data = reports.count == 1 ? try JSONOutput.data(reports[0]) : try JSONOutput.data(["reports": reports])
        try JSONOutput.save(data, to: output)
        if let plot { try await drawPlot(engines, to: plot, luts: luts, progress: progress) }
        if json {
            print(String(decoding: data, as: UTF8.self))
        } else {
            for report in reports { printTable(report) }
        }
    }

    func makeEngines() throws -> [PrecisionEngine] {
        let names = formats.isEmpty ? ["fp32", "fp16", "bf16"] : formats
        let dimList: [Int]
        if let dims {
            let parsed = dims.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !parsed.isEmpty, parsed.allSatisfy({ ($0 ?? 0) > 0 }) else {
                throw BadInput("--dims must be a comma-separated list of positive integers, got '\(dims)'")
            }
            dimList = parsed.map { $0! }
        } else {
            dimList = PrecisionEngine.optDims + PrecisionEngine.macroDims
        }
        let dists = try distributions.map { name in
            guard let dist = PrecisionDistribution(rawValue: name) else {
                throw BadInput("unknown distribution '\(name)' (expected normal, shifted or heavy_tailed)")
            }
            return dist
        }
        var accumulateFormat: FloatFormat?
        let wide = accumulate?.lowercased() == "wide"
        if let accumulate, !wide {
            guard let a = FloatFormat.named(accumulate) else { throw BadInput("unknown accumulate format '\(accumulate)'") }
            accumulateFormat = a
        }
        return try names.map { name in
            guard let f = FloatFormat.named(name), ["fp32", "fp16", "bf16"].contains(f.name) else {
                throw BadInput("unknown format '\(name)' (expected fp32, fp16 or bf16)")
            }
            do {
                return try PrecisionEngine(format: f, accumulate: accumulateFormat, dims: dimList,
                                           distributions: dists.isEmpty ? PrecisionDistribution.allCases : dists,
                                           trials: trials, seed: seed, wide: wide)
            } catch let error as IterNormError {
                throw BadInput(error.message)
            }
        }
    }

    /// `--area` reports' LUTs by `"<format> <mode>"` (read before the long run: a bad file is exit 2 at once).
    func areaFigures() throws -> [String: Int] {
        guard plot != nil || area.isEmpty else { throw BadInput("--area places a macro in the plot: give --plot FILE.svg with it") }
        return try area.reduce(into: [String: Int]()) { table, file in
            let synthesis = try SynthesisFigures.load(file)
            table[synthesis.key] = synthesis.luts
        }
    }

    /// The accuracy-area plot: every format of the run in each arithmetic mode it supports.
    func drawPlot(_ engines: [PrecisionEngine], to path: String, luts: [String: Int], progress: ProgressLine) async throws {
        var series: [PrecisionPlot.Series] = []
        for engine in engines {
            let f = engine.format
            // FP32 in the same mode is the fp32 mode; FP16 cannot hold the OPT lengths' squares.
            var modes: [(String, FloatFormat?, Bool)] = [("fp32", .fp32, false), ("wide", nil, true)]
            if f != .fp32 && f != .fp16 { modes.insert(("same", f, false), at: 0) }
            for (mode, accumulate, wide) in modes {
                let sweep = try PrecisionEngine(format: f, accumulate: accumulate, dims: engine.dims,
                                                distributions: engine.distributions, trials: engine.trials, seed: engine.seed,
                                                lanes: engine.lanes, iterations: 5...5, fisrSteps: [1], wide: wide)
                let report = try await sweep.run { done, total, label in progress.update(done, of: total, phase: "\(mode): " + label) }
                progress.end()
                var line = PrecisionPlot.series(report, mode: mode)
                line.luts = luts["\(f.name) \(mode)"]
                series.append(line)
            }
        }
        do {
            try PrecisionPlot(series: series).svg().write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw BadInput("cannot write --plot \(path): \(error.localizedDescription)")
        }
    }

    func printTable(_ r: PrecisionReport) {
        print("\(r.format): mean |error| vs FP64 LayerNorm, \(r.headlineDistribution) inputs, \(r.trials) trials, "
              + "seed \(r.seed), arithmetic \(r.accumulate), \(r.lanes)-lane tree sums")
        let k = r.iternormIterations
        let columns = ["iternorm_scalar_k\(k)", "iternorm_vector_k\(k)", "fisr_1", "fisr_2", "fisr_3", "naive", "correctly_rounded"]
        let titles = ["IterNorm s K\(k)", "IterNorm v K\(k)", "FISR 1", "FISR 2", "FISR 3", "naive", "rounded"]
        print(pad("d", 6) + titles.map { pad($0, 16) }.joined())
        for dim in r.dims {
            let row = columns.map { name in pad(dim.methods[name].map { String(format: "%.3e", $0.meanAbsError) } ?? "-", 16) }
            print(pad("\(dim.d)\(dim.opt ? "*" : "")", 6) + row.joined())
        }
        print("max ulp error (all d, \(r.headlineDistribution)):", columns.map { name in
            name + " " + String(format: "%.1f", r.dims.compactMap { $0.methods[name]?.maxUlpError }.max() ?? 0)
        }.joined(separator: ", "))
        let form = r.iternormForm
        print("IterNorm (K = \(k), \(form) form) beats FISR on the \(r.optLengths) OPT lengths (*):")
        for dist in r.distributions {
            let counts = (r.iternormWinsVsFisrByDistribution[dist] ?? [:]).sorted { $0.key < $1.key }
                .map { "vs FISR \($0.key) step\($0.key == "1" ? "" : "s"): \($0.value)/\(r.optLengths)" }
            print("  \(pad(dist, 13))" + counts.joined(separator: "   "))
        }
        print("  (paper: 6/9 FP32, 5/9 BF16; its FISR configuration is not public)\n")
    }

    func pad(_ s: String, _ width: Int) -> String { s.padding(toLength: max(width, s.count + 1), withPad: " ", startingAt: 0) }
}
