import CircuitCosim
import Circuits
import Cosim
import Foundation
import Golden

/// The JSON and summary of `cosim iternorm`: a run (or one shard of it) over one or several vector
/// lengths, with the figures a regression merges (`regress merge` reads this document).
struct IterNormRunSummary: Codable {
    var circuit = "iternorm"
    /// The macro's top module (names the configuration).
    var top: String
    var backend: String
    var seed: UInt64
    var shard: ShardArgument
    /// Vectors in the whole (unsharded) run, and this shard's slice of them.
    var totalVectors: Int
    var firstVector: Int
    var vectors: Int
    var mismatches: Int
    /// The first mismatches of all the runs (vector = global index).
    var mismatchDetails: [CircuitMismatch]
    var cycles: Int
    /// Seconds compiling the Verilator model (0 when it came from the cache).
    var buildS: Double
    /// Seconds of simulation, stimulus, golden model and checks (build and setup excluded).
    var simulationS: Double
    /// `vectors / simulation_s`.
    var vectorsPerS: Double
    /// CPU seconds of the whole process (user + system, every thread, build included).
    var cpuS: Double
    var wallS: Double
    /// Latency of the first vector into the idle macro.
    var latencyCycles: Int
    /// Streaming rate of a single-length run (absent over several lengths, where the macro drains
    /// and is reconfigured between stretches).
    var cyclesPerVector: Double?
    /// The vectors' lengths in order, run-length encoded.
    var lengths: [IterNormCosimReport.LengthRun]
}

/// Runs the slice `shard` of `total` IterNorm vectors (vector i a function of (seed, i); its
/// length drawn from `lengths`, `IterNormStimulus.length(of:among:)`) and summarizes them.
struct IterNormRegressionRun {
    let macro: IterNormMacro
    let backend: SimulationBackend
    let options: TestbenchOptions
    let lengths: [Int]
    let total: Int
    let seed: UInt64
    let shard: ShardArgument
    let backPressure: Double

    func run() throws -> IterNormRunSummary {
        let start = Date(), cpuStart = CPUClock.processSeconds()
        var stimulus = IterNormStimulus(macro.config, seed: seed)
        // Each length's parameters drawn once, here, not in every vector's copy of the stimulus.
        for d in lengths { _ = stimulus.parameters(d: d) }
        let frozen = stimulus, lengths = self.lengths
        let slice = shard.range(of: total)
        let cache = backend == .verilator ? try options.cache ?? VerilatorBuildCache.shared() : nil
        let compilesBefore = cache?.statistics.modelCompiles ?? 0
        let progress = ProgressLine.standardError
        // Begun at the first vectors, not before: a model build draws its own phases first.
        var begun = false
        defer { progress.end() }
        let report: IterNormCosimReport
        do {
            report = try IterNormCosimulation(macro: macro, backend: backend, options: options)
                .run(count: slice.count, firstIndex: slice.lowerBound, backPressure: backPressure, seed: seed,
                     progress: { vectors in
                         if !begun {
                             progress.begin("co-simulating \(macro.topName)", total: slice.count, unit: "vectors")
                             begun = true
                         }
                         progress.update(vectors)
                     }) { index in
                    var s = frozen
                    return s.vector(index, d: s.length(of: index, among: lengths))
                }
        } catch let error as IterNormError {
            throw CheckFailed(error.message)
        }
        let built = (cache?.statistics.modelCompiles ?? 0) > compilesBefore
        return IterNormRunSummary(
            top: macro.topName, backend: backend.rawValue, seed: seed, shard: shard, totalVectors: total,
            firstVector: slice.lowerBound, vectors: report.vectors, mismatches: report.mismatches,
            mismatchDetails: report.mismatchDetails, cycles: report.cycles, buildS: built ? report.setupSeconds : 0,
            simulationS: report.simulationSeconds,
            vectorsPerS: report.simulationSeconds > 0 ? Double(report.vectors) / report.simulationSeconds : 0,
            cpuS: CPUClock.processSeconds() - cpuStart, wallS: Date().timeIntervalSince(start),
            latencyCycles: report.latencyCycles,
            cyclesPerVector: report.lengths.count == 1 ? report.cyclesPerVector : nil, lengths: report.lengths)
    }
}
