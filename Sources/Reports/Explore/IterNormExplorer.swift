import CircuitCosim
import Circuits
import Cosim
import Foundation
import Golden
import Silicon

/// Evaluates IterNorm design points: generates each macro, co-simulates a few vectors on
/// Verilator against the golden model, maps it to standard cells (hierarchy kept, cached) and
/// times it, then derives the latency and energy figures of `IterNormPointResult`.
public struct IterNormExplorer: Sendable {
    public var library: LibertyLibrary
    public var synthesizer: ASICSynthesizer
    /// Vectors co-simulated per point (at least 2: the second gives the streaming rate).
    public var cosimVectors: Int
    public var seed: UInt64
    public var options: TestbenchOptions

    public init(library: LibertyLibrary, synthesizer: ASICSynthesizer, cosimVectors: Int = 8, seed: UInt64 = 1,
                options: TestbenchOptions = TestbenchOptions(verilator: VerilatorOptions(optimization: "-O1"))) {
        self.library = library
        self.synthesizer = synthesizer
        self.cosimVectors = max(2, cosimVectors)
        self.seed = seed
        self.options = options
    }

    /// Measures `point` (numbered `index` in its exploration). A mismatch is reported in the
    /// result, not thrown: the exploration records it and the merge fails on it.
    public func evaluate(_ point: IterNormDesignPoint, index: Int,
                         progress: ProgressLine = .standardError) throws -> IterNormPointResult {
        let start = Date()
        let c = point.config
        let macro = try IterNormMacro(c, slots: point.slots)
        var stimulus = IterNormStimulus(c, seed: seed)
        _ = stimulus.parameters(d: c.dMax)
        let frozen = stimulus, d = c.dMax
        progress.begin("\(point.label): co-simulating \(cosimVectors) vectors at d = \(d)")
        let report = try IterNormCosimulation(macro: macro, backend: .verilator, options: options)
            .run(count: cosimVectors, seed: seed) { i in
                var s = frozen
                return s.vector(i, d: d)
            }
        progress.end()
        let asic = try ASICReport(try macro.design(), library: library, clock: "clk", flatten: false,
                                  latencyCycles: macro.latency(d: d), synthesizer: synthesizer, progress: progress)
        guard let period = asic.minimumPeriodNanoseconds, let fmax = asic.fmaxMHz else {
            throw CosimError.buildFailed("OpenSTA found no timed path in \(macro.topName)")
        }
        let quoted = try IterNormMacro(try point.configForQuotedD(), slots: point.slots)
        let latencyAtD = quoted.latency(d: point.quotedD)
        let scale = Double(quoted.config.dMax) / Double(c.dMax)
        let area = asic.area
        return IterNormPointResult(
            index: index, point: point, label: point.label, family: point.family, top: macro.topName,
            cosimulation: .init(d: d, vectors: report.vectors, mismatches: report.mismatches,
                                latencyCycles: report.latencyCycles, predictedLatencyCycles: macro.latency(d: d),
                                cyclesPerVector: report.cyclesPerVector),
            asic: asic, areaUm2: area.totalArea, kiloGateEquivalents: area.gateEquivalents / 1000,
            periodNanoseconds: period, fmaxMHz: fmax,
            energyPerVectorPicojoules: asic.power.map { $0.picojoulesPerCycle * report.cyclesPerVector },
            quotedD: point.quotedD, latencyCyclesAtQuotedD: latencyAtD,
            latencyNanosecondsAtQuotedD: Double(latencyAtD) * period,
            memoryBitsAtQuotedD: Int((Double(area.memoryBits) * scale).rounded()),
            areaAtQuotedDUm2: area.totalArea + area.memoryArea * (scale - 1),
            seconds: Date().timeIntervalSince(start))
    }
}
