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
    var verilatorVersion: String?
    /// Latency and streaming rate of a single-length run (absent over several lengths: see `runs`).
    var latencyCycles: Int?
    var cyclesPerVector: Double?
    /// One run per stretch of equal-length vectors.
    var runs: [IterNormCosimReport]
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
        let stimulus = IterNormStimulus(macro.config, seed: seed)
        let slice = shard.range(of: total)
        // Stretches of equal length: one testbench run each (the length is a macro input,
        // set while the macro is idle).
        var segments: [(d: Int, range: Range<Int>)] = []
        for index in slice {
            let d = stimulus.length(of: index, among: lengths)
            if let last = segments.last, last.d == d { segments[segments.count - 1].range = last.range.lowerBound ..< index + 1 }
            else { segments.append((d, index ..< index + 1)) }
        }
        let cache = backend == .verilator ? try options.cache ?? VerilatorBuildCache.shared() : nil
        let compilesBefore = cache?.statistics.modelCompiles ?? 0
        let cosim = IterNormCosimulation(macro: macro, backend: backend, options: options)
        var runs: [IterNormCosimReport] = []
        var buildSeconds = 0.0
        for segment in segments {
            var base = stimulus
            let (gamma, beta) = base.parameters(d: segment.d)
            let d = segment.d, frozen = base
            let report: IterNormCosimReport
            do {
                report = try cosim.run(count: segment.range.count, d: d, firstIndex: segment.range.lowerBound,
                                       gamma: gamma, beta: beta, backPressure: backPressure, seed: seed,
                                       progress: ProgressLine.standardError) { index in
                    var s = frozen
                    return s.vector(index, d: d)
                }
            } catch let error as IterNormError {
                throw CheckFailed(error.message)
            }
            if runs.isEmpty, let cache, cache.statistics.modelCompiles > compilesBefore { buildSeconds = report.setupSeconds }
            runs.append(report)
        }
        let simulation = runs.reduce(0) { $0 + $1.simulationSeconds }
        let vectors = runs.reduce(0) { $0 + $1.vectors }
        let single = runs.count == 1 ? runs[0] : nil
        return IterNormRunSummary(
            top: macro.topName, backend: backend.rawValue, seed: seed, shard: shard, totalVectors: total,
            firstVector: slice.lowerBound, vectors: vectors, mismatches: runs.reduce(0) { $0 + $1.mismatches },
            mismatchDetails: Array(runs.flatMap(\.mismatchDetails).prefix(options.maxReports)),
            cycles: runs.reduce(0) { $0 + $1.cycles }, buildS: buildSeconds, simulationS: simulation,
            vectorsPerS: simulation > 0 ? Double(vectors) / simulation : 0,
            cpuS: CPUClock.processSeconds() - cpuStart, wallS: Date().timeIntervalSince(start),
            verilatorVersion: cache?.toolchain.version,
            latencyCycles: single?.latencyCycles, cyclesPerVector: single?.cyclesPerVector, runs: runs)
    }
}
