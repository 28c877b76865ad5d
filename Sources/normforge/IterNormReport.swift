import CircuitCosim
import Circuits
import Cosim
import Foundation
import Golden
import HDL
import Silicon

/// Everything `normforge report iternorm` shows about one macro, measured in one run: latency and
/// streaming rate per d (co-simulated on Verilator, bit-exact), precision per d against FP64 next
/// to FISR and the correctly rounded result, and Yosys area and longest path per unit.
struct IterNormReport: Codable {
    struct Timing: Codable {
        var d: Int
        var vectors: Int
        var mismatches: Int
        var latencyCycles: Int
        /// What the generator's schedule predicts (must equal the co-simulated latency).
        var predictedLatencyCycles: Int
        var cyclesPerVector: Double
        var elementsPerCycle: Double
    }

    struct Precision: Codable {
        var d: Int
        /// Mean |error| against FP64 and the worst error in ulps, per method.
        var iterNorm: PrecisionErrors
        var fisr: [String: PrecisionErrors]
        var naive: PrecisionErrors
        var correctlyRounded: PrecisionErrors
    }

    /// One unit module: its instances in the macro, generic cells (flattened, each), the longest
    /// path (`ltp -noff`, cells) within it: one pipeline stage's logic at most.
    struct Unit: Codable {
        var module: String
        var instances: Int
        var cellsEach: Int
        var cellsTotal: Int
        var longestPathCells: Int
    }

    var top: String
    var parameters: [String]
    var verilator: String?
    var timing: [Timing]
    var precisionTrials: Int
    var precisionDistribution: String
    var precision: [Precision]
    var synthesis: SynthesisReport?
    var units: [Unit]
    /// Standard cells (`--asic`): area, OpenSTA timing per module, vectorless power.
    var asic: ASICReport?
    /// Generic cells of the top module's own logic (control, buffers' ports, output mux): the
    /// hierarchy-kept total minus the units.
    var topCells: Int?
    var seconds: Double

    /// Measures `macro`: co-simulation at each of `lengths`, precision with `trials` N(0,1)
    /// vectors per d, and (unless `synthesis` is nil) Yosys figures.
    static func measure(_ macro: IterNormMacro, lengths: [Int], vectors: Int, trials: Int, seed: UInt64,
                        synthesis: SynthesisOptions?, asic: SynthesisOptions? = nil) async throws -> IterNormReport {
        let start = Date()
        let c = macro.config
        let progress = ProgressLine.standardError
        let cosim = IterNormCosimulation(macro: macro, backend: .verilator,
                                         options: TestbenchOptions(verilator: VerilatorOptions(optimization: "-O1")))
        var timing: [Timing] = []
        for d in lengths {
            progress.begin("co-simulating d = \(d)")
            let report = try cosim.runStream(d: d, vectors: vectors, seed: seed)
            progress.end()
            timing.append(Timing(d: d, vectors: report.vectors, mismatches: report.mismatches, latencyCycles: report.latencyCycles,
                                 predictedLatencyCycles: macro.latency(d: d), cyclesPerVector: report.cyclesPerVector,
                                 elementsPerCycle: Double(d) / report.cyclesPerVector))
        }

        let engine: PrecisionEngine
        do {
            engine = try PrecisionEngine(format: c.format, accumulate: c.wide ? nil : c.accumulate, dims: lengths,
                                         distributions: [.normal], trials: trials, seed: seed, lanes: c.lanes,
                                         iterations: c.iterations...c.iterations, fisrSteps: [1, 2], wide: c.wide)
        } catch { throw BadInput(error.message) }
        progress.begin("precision against FP64")
        let precisionReport = try await engine.run()
        progress.end()
        let method = "iternorm_\(c.form.rawValue)_k\(c.iterations)"
        let precision = precisionReport.dims.compactMap { dim -> Precision? in
            guard let m = dim.distributions[PrecisionDistribution.normal.rawValue], let iterNorm = m[method],
                  let naive = m["naive"], let rounded = m["correctly_rounded"] else { return nil }
            return Precision(d: dim.d, iterNorm: iterNorm, fisr: m.filter { $0.key.hasPrefix("fisr_") }, naive: naive,
                             correctlyRounded: rounded)
        }

        var synthesisReport: SynthesisReport?, units: [Unit] = [], topCells: Int?
        if let synthesis {
            let design = try macro.design()
            synthesisReport = try SynthIterNormCommand.report(design, config: c, latencyCycles: macro.latency(d: c.dMax),
                                                               options: synthesis)
            progress.begin("synthesizing each unit")
            units = try unitFigures(design, runner: synthesis.runner)
            progress.end()
            // Kept hierarchy only: a flattened netlist is optimized across the unit boundaries.
            if let s = synthesisReport, !s.flattened { topCells = s.genericCells - units.reduce(0) { $0 + $1.cellsTotal } }
        }
        let asicReport = try asic?.asicReport(try macro.design(), latencyCycles: macro.latency(d: c.dMax))
        return IterNormReport(top: macro.topName, parameters: macro.parameterLines, verilator: try? VerilatorToolchain.locate().version,
                              timing: timing, precisionTrials: trials, precisionDistribution: PrecisionDistribution.normal.rawValue,
                              precision: precision, synthesis: synthesisReport, units: units, asic: asicReport, topCells: topCells,
                              seconds: Date().timeIntervalSince(start))
    }

    /// Each submodule synthesized alone (flattened, cached): cells and longest path, times its
    /// instances anywhere under the top.
    static func unitFigures(_ design: Design, runner: YosysRunner) throws -> [Unit] {
        var instances: [String: Int] = [design.top: 1]
        for module in design.modules.reversed() {
            let count = instances[module.name, default: 0]
            for instance in module.instances { instances[instance.moduleName, default: 0] += count }
        }
        return try design.modules.filter { $0.name != design.top }.map { module in
            let stats = try runner.synthesize(try Design(top: module), flatten: true, longestPath: true)
            let count = instances[module.name, default: 0]
            return Unit(module: module.name, instances: count, cellsEach: stats.cells, cellsTotal: stats.cells * count,
                        longestPathCells: stats.longestPath ?? 0)
        }
    }
}
