import Circuits
import Cosim
import Foundation
import Golden

/// The outcome of one IterNorm co-simulation run.
public struct IterNormCosimReport: Sendable, Codable {
    /// `verilator`, `icarus` or `ir-sim`.
    public var backend: String
    /// The vector length of the run.
    public var d: Int
    /// Global index of the run's first vector (its stimulus index; 0 unless a slice was run).
    public var firstVector: Int
    public var vectors: Int
    /// Output checks (data beats and `out_last`) that differed from the golden model.
    public var mismatches: Int
    /// The first mismatches: vector (global index), cycle, port, differing lanes decoded.
    public var mismatchDetails: [CircuitMismatch]
    /// First input beat accepted to last output beat, one vector into an idle macro.
    public var latencyCycles: Int
    /// Average cycles between consecutive vectors when streamed back to back.
    public var cyclesPerVector: Double
    /// Cycles the design was clocked in total.
    public var cycles: Int
    /// Seconds spent building (or fetching from the cache) what the backend runs.
    public var setupSeconds: Double
    /// Seconds of simulation, stimulus, golden model and checks (setup excluded).
    public var simulationSeconds: Double
}

/// Drives the IterNorm macro with vectors on any backend and checks every output beat against
/// the golden model bit for bit; measures latency (one vector, idle macro) and the streaming rate.
///
/// The stimulus and the golden outputs of the next vectors are made on another thread while the
/// simulator runs (`WorkAhead`), so the simulator is the bottleneck, and memory stays bounded
/// for runs of any length.
///
/// ```swift
/// let macro = try IterNormMacro(IterNormConfig(format: .bf16, lanes: 4, dMax: 16))
/// var stimulus = IterNormStimulus(macro.config, seed: 1)
/// let vectors = (0..<20).map { stimulus.vector($0, d: 16) }
/// let report = try IterNormCosimulation(macro: macro, backend: .icarus).run(vectors)
/// ```
public struct IterNormCosimulation: Sendable {
    public let macro: IterNormMacro
    public let backend: SimulationBackend
    public let options: TestbenchOptions

    public init(macro: IterNormMacro, backend: SimulationBackend = .verilator,
                options: TestbenchOptions = TestbenchOptions()) {
        self.macro = macro
        self.backend = backend
        self.options = options
    }

    /// Runs `vectors` (all of length `d`; the parameters of the first are loaded once and used for
    /// all). The first vector runs alone (latency); the rest stream back to back, with the output
    /// held back in a seeded fraction `backPressure` of the cycles. Throws for vectors the
    /// configuration rejects and when the macro stalls.
    public func run(_ vectors: [IterNormVector], backPressure: Double = 0, seed: UInt64 = 1) throws -> IterNormCosimReport {
        guard let first = vectors.first else { throw IterNormError("no vectors to simulate") }
        let d = first.x.count
        guard vectors.allSatisfy({ $0.x.count == d }) else { throw IterNormError("all vectors must have d = \(d) elements") }
        return try run(count: vectors.count, d: d, gamma: first.gamma, beta: first.beta,
                       backPressure: backPressure, seed: seed) { vectors[$0] }
    }

    /// Runs the `count` vectors `vector(firstIndex) ..< vector(firstIndex + count)` of length `d`
    /// with the parameters `gamma`/`beta` (ignored where the configuration has none), made on
    /// demand (a shard of a long regression: `IterNormStimulus.vector` is a function of the
    /// index). Mismatches carry the global index. Progress goes to `progress`.
    public func run(count: Int, d: Int, firstIndex: Int = 0, gamma: [UInt64]?, beta: [UInt64]?,
                    backPressure: Double = 0, seed: UInt64 = 1, progress: ProgressLine? = nil,
                    vector: @escaping @Sendable (Int) -> IterNormVector) throws -> IterNormCosimReport {
        let cfg = macro.config, width = cfg.format.width, lanes = cfg.lanes
        guard count >= 1 else { throw IterNormError("no vectors to simulate") }
        try cfg.validate(d: d)
        let nb = d / lanes
        let gamma = cfg.hasGamma ? gamma : nil
        let beta = cfg.hasBeta ? beta : nil
        if cfg.hasGamma && gamma?.count != d || cfg.hasBeta && beta?.count != d {
            throw IterNormError("the affine parameters must have d = \(d) elements")
        }
        func beat(_ values: [UInt64], _ index: Int) -> [UInt64] { Array(values[index * lanes ..< (index + 1) * lanes]) }

        let setupStart = Date()
        let tb = try CircuitTestbench(try macro.design(), backend: backend,
                                      layouts: ["out_data": .float(cfg.format)], options: options)
        let setupSeconds = Date().timeIntervalSince(setupStart)
        let simulationStart = Date()
        let golden = IterNorm(cfg)
        // A window of a few hundred vectors keeps the golden thread ahead of the simulator
        // without holding a long run in memory.
        let ahead = WorkAhead(count: count, window: 256) { local -> (IterNormVector, [UInt64]) in
            let v = vector(firstIndex + local)
            guard v.x.count == d else { throw IterNormError("vector \(firstIndex + local) has \(v.x.count) elements, not d = \(d)") }
            return (v, try golden.normalize(x: v.x, gamma: gamma, beta: beta))
        }
        defer { ahead.cancel() }

        try tb.poke("rst", 1)
        try tb.poke("in_valid", 0)
        try tb.poke("out_ready", 1)
        try tb.poke("in_beats", UInt64(nb))
        if cfg.affine {
            try tb.poke("param_we", 0)
            try tb.poke("param_addr", 0)
        }
        try tb.step(2)
        try tb.poke("rst", 0)
        if let gamma {
            for index in 0..<nb {
                try tb.poke("param_we", 1)
                try tb.poke("param_addr", UInt64(index))
                try tb.poke("param_gamma", lanes: beat(gamma, index), width: width)
                if let beta { try tb.poke("param_beta", lanes: beat(beta, index), width: width) }
                try tb.step()
            }
            try tb.poke("param_we", 0)
        }

        var rng = SeededRandom(seed: seed)
        // Vectors sent but not yet fully received, oldest first (a few: the macro's slots).
        var inFlight: [(vector: IterNormVector, expected: [UInt64])] = []
        var sendVector = 0, sendBeat = 0, recvVector = 0, recvBeat = 0
        var firstAccept = 0, firstOutputCycle = 0, secondOutputCycle = 0, lastOutputCycle = 0
        let limit = 1000 + count * (macro.latency(d: d) + 4 * nb) * 4
        var cycle = 0
        progress?.begin("co-simulating d = \(d)", total: count, unit: "vectors")
        while recvVector < count {
            // The first vector goes alone so that its latency is measured on an idle macro.
            let sending = sendVector < count && (sendVector == 0 || recvVector >= 1)
            try tb.poke("in_valid", sending)
            if sending {
                if sendBeat == 0 && inFlight.count == sendVector - recvVector { inFlight.append(try ahead.next()) }
                try tb.poke("in_data", lanes: beat(inFlight[sendVector - recvVector].vector.x, sendBeat), width: width)
            }
            let outReady = recvVector == 0 || backPressure <= 0 || rng.nextUnit() >= backPressure
            try tb.poke("out_ready", outReady)
            let accepted = try sending && tb.observe("in_ready")
            if try tb.observe("out_valid") && outReady {
                let (v, expected) = inFlight[0]
                let global = firstIndex + recvVector, beatIndex = recvBeat
                try tb.expect("out_data", lanes: beat(expected, recvBeat), width: width, vector: global,
                              label: "vector \(global) (\(v.kind)) beat \(beatIndex) of \(nb)")
                try tb.expect("out_last", recvBeat == nb - 1, vector: global,
                              label: "vector \(global) (\(v.kind)) beat \(beatIndex) of \(nb)")
                recvBeat += 1
                if recvBeat == nb {
                    if recvVector == 0 { firstOutputCycle = cycle }
                    if recvVector == 1 { secondOutputCycle = cycle }
                    lastOutputCycle = cycle
                    recvBeat = 0
                    recvVector += 1
                    inFlight.removeFirst()
                    if recvVector % 64 == 0 { progress?.update(recvVector) }
                }
            }
            if accepted {
                if sendVector == 0 && sendBeat == 0 { firstAccept = cycle }
                sendBeat += 1
                if sendBeat == nb { sendBeat = 0; sendVector += 1 }
            }
            try tb.step()
            cycle += 1
            if cycle > limit {
                progress?.end(recvVector)
                throw IterNormError("simulation stalled: \(recvVector) of \(count) vectors out after \(cycle) cycles")
            }
        }
        progress?.end(count)
        let latency = firstOutputCycle - firstAccept + 1
        let streamed = count > 2 ? Double(lastOutputCycle - secondOutputCycle) / Double(count - 2) : Double(latency)
        let cycles = tb.cycle
        let (mismatches, details) = try tb.finish()
        return IterNormCosimReport(backend: backend.rawValue, d: d, firstVector: firstIndex, vectors: count,
                                   mismatches: mismatches, mismatchDetails: details, latencyCycles: latency,
                                   cyclesPerVector: streamed, cycles: cycles, setupSeconds: setupSeconds,
                                   simulationSeconds: Date().timeIntervalSince(simulationStart))
    }
}
