import Circuits
import Cosim
import Foundation
import Golden

/// The outcome of one IterNorm co-simulation run.
public struct IterNormCosimReport: Sendable, Codable {
    /// A stretch of consecutive vectors of one length.
    public struct LengthRun: Sendable, Codable, Hashable {
        public var d: Int
        public var vectors: Int
    }

    /// `verilator`, `icarus` or `ir-sim`.
    public var backend: String
    /// The length of the first vector (of every vector, in a single-length run).
    public var d: Int
    /// The lengths of the vectors in order, run-length encoded: the macro was reconfigured
    /// (drained, parameters loaded, `in_beats` changed) between stretches.
    public var lengths: [LengthRun]
    /// Global index of the run's first vector (its stimulus index; 0 unless a slice was run).
    public var firstVector: Int
    public var vectors: Int
    /// Output checks (data beats and `out_last`) that differed from the golden model.
    public var mismatches: Int
    /// The first mismatches: vector (global index), cycle, port, differing lanes decoded.
    public var mismatchDetails: [CircuitMismatch]
    /// First input beat accepted to last output beat, the first vector into an idle macro.
    public var latencyCycles: Int
    /// Average cycles between consecutive vectors streamed back to back (over every length,
    /// reconfigurations included, when there are several).
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
        return try run(count: vectors.count, backPressure: backPressure, seed: seed) { vectors[$0] }
    }

    /// Runs the `count` vectors `vector(firstIndex) ..< vector(firstIndex + count)`, made on demand
    /// (a shard of a long regression: `IterNormStimulus.vector` is a function of the index), each
    /// of any length the configuration takes. Where the length changes the driver lets the macro
    /// drain, loads the gamma/beta of the stretch's first vector (used for the whole stretch) and
    /// changes `in_beats`: one model for every length, as a user would run it. Mismatches carry
    /// the global index; `progress` hears the number of vectors done every 64 vectors.
    public func run(count: Int, firstIndex: Int = 0, backPressure: Double = 0, seed: UInt64 = 1,
                    progress: ((Int) -> Void)? = nil,
                    vector: @escaping @Sendable (Int) -> IterNormVector) throws -> IterNormCosimReport {
        let cfg = macro.config, width = cfg.format.width, lanes = cfg.lanes
        guard count >= 1 else { throw IterNormError("no vectors to simulate") }
        func beat(_ values: [UInt64], _ index: Int) -> [UInt64] { Array(values[index * lanes ..< (index + 1) * lanes]) }

        let setupStart = Date()
        let tb = try CircuitTestbench(try macro.design(), backend: backend,
                                      layouts: ["out_data": .float(cfg.format)], options: options)
        let setupSeconds = Date().timeIntervalSince(setupStart)
        let simulationStart = Date()
        let golden = IterNorm(cfg)
        // A window of a few hundred vectors keeps the golden thread ahead of the simulator
        // without holding a long run in memory.
        let ahead = WorkAhead(count: count, window: 256) { local -> (vector: IterNormVector, expected: [UInt64]) in
            let v = vector(firstIndex + local)
            try cfg.validate(d: v.x.count)
            let gamma = cfg.hasGamma ? v.gamma : nil, beta = cfg.hasBeta ? v.beta : nil
            if cfg.hasGamma && gamma?.count != v.x.count || cfg.hasBeta && beta?.count != v.x.count {
                throw IterNormError("vector \(firstIndex + local): the affine parameters must have d = \(v.x.count) elements")
            }
            return (v, try golden.normalize(x: v.x, gamma: gamma, beta: beta))
        }
        defer { ahead.cancel() }

        try tb.poke("rst", 1)
        try tb.poke("in_valid", 0)
        try tb.poke("out_ready", 1)
        try tb.poke("in_beats", 0)
        if cfg.affine {
            try tb.poke("param_we", 0)
            try tb.poke("param_addr", 0)
        }
        try tb.step(2)
        try tb.poke("rst", 0)
        /// Loads a stretch's parameters and length into the idle macro.
        func configure(_ v: IterNormVector) throws {
            let nb = v.x.count / lanes
            try tb.poke("in_valid", 0)
            try tb.poke("in_beats", UInt64(nb))
            guard let gamma = v.gamma, cfg.hasGamma else { return }
            for index in 0..<nb {
                try tb.poke("param_we", 1)
                try tb.poke("param_addr", UInt64(index))
                try tb.poke("param_gamma", lanes: beat(gamma, index), width: width)
                if cfg.hasBeta, let beta = v.beta { try tb.poke("param_beta", lanes: beat(beta, index), width: width) }
                try tb.step()
            }
            try tb.poke("param_we", 0)
        }

        var rng = SeededRandom(seed: seed)
        // Vectors pulled from the producer but not yet fully received, oldest first: those in
        // flight (a few: the macro's slots) and at most one waiting for the macro to drain.
        var inFlight: [(vector: IterNormVector, expected: [UInt64])] = []
        // The length and parameters the macro is set up for: every vector of a stretch must carry
        // the parameters of its first.
        var configuredLength = 0
        var loaded: (gamma: [UInt64]?, beta: [UInt64]?) = (nil, nil)
        var lengths: [IterNormCosimReport.LengthRun] = []
        var sendVector = 0, sendBeat = 0, recvVector = 0, recvBeat = 0
        var firstAccept = 0, firstOutputCycle = 0, secondOutputCycle = 0, lastOutputCycle = 0
        let dMaxBeats = cfg.dMax / lanes
        let limit = 1000 + count * (macro.latency(d: cfg.dMax) + 6 * dMaxBeats) * 4
        while recvVector < count {
            if sendVector < count && sendBeat == 0 && inFlight.count == sendVector - recvVector {
                let item = try ahead.next()
                inFlight.append(item)
                if item.vector.x.count != lengths.last?.d { lengths.append(.init(d: item.vector.x.count, vectors: 0)) }
                lengths[lengths.count - 1].vectors += 1
            }
            let next = sendVector < count ? inFlight[sendVector - recvVector].vector : nil
            // A vector of another length than the macro is set up for starts a stretch.
            let startsStretch = sendBeat == 0 && next.map { $0.x.count != configuredLength } == true
            if let next, startsStretch, recvVector == sendVector {
                // Drained: the new length's parameters go in while nothing is in flight.
                try configure(next)
                configuredLength = next.x.count
                loaded = (cfg.hasGamma ? next.gamma : nil, cfg.hasBeta ? next.beta : nil)
            }
            // The first vector goes alone so that its latency is measured on an idle macro; a new
            // stretch waits until the macro is empty.
            let sending = next != nil && (sendVector == 0 || recvVector >= 1) && !(startsStretch && recvVector < sendVector)
            try tb.poke("in_valid", sending)
            if sending, let next { try tb.poke("in_data", lanes: beat(next.x, sendBeat), width: width) }
            let outReady = recvVector == 0 || backPressure <= 0 || rng.nextUnit() >= backPressure
            try tb.poke("out_ready", outReady)
            let accepted = try sending && tb.observe("in_ready")
            if try tb.observe("out_valid") && outReady {
                let item = inFlight[0], nb = item.vector.x.count / lanes
                let global = firstIndex + recvVector, beatIndex = recvBeat
                let label = { "vector \(global) (\(item.vector.kind), d = \(nb * lanes)) beat \(beatIndex) of \(nb)" }
                try tb.expect("out_data", lanes: beat(item.expected, recvBeat), width: width, vector: global, label: label())
                try tb.expect("out_last", recvBeat == nb - 1, vector: global, label: label())
                recvBeat += 1
                if recvBeat == nb {
                    if recvVector == 0 { firstOutputCycle = tb.cycle }
                    if recvVector == 1 { secondOutputCycle = tb.cycle }
                    lastOutputCycle = tb.cycle
                    recvBeat = 0
                    recvVector += 1
                    inFlight.removeFirst()
                    if recvVector % 64 == 0 { progress?(recvVector) }
                }
            }
            if accepted, let next {
                if sendVector == 0 && sendBeat == 0 { firstAccept = tb.cycle }
                if sendBeat == 0 && (cfg.hasGamma && next.gamma != loaded.gamma || cfg.hasBeta && next.beta != loaded.beta) {
                    throw IterNormError("vector \(firstIndex + sendVector): its gamma/beta differ from those of the first vector of its length")
                }
                sendBeat += 1
                if sendBeat == next.x.count / lanes { sendBeat = 0; sendVector += 1 }
            }
            try tb.step()
            if tb.cycle > limit {
                throw IterNormError("simulation stalled: \(recvVector) of \(count) vectors out after \(tb.cycle) cycles")
            }
        }
        let latency = firstOutputCycle - firstAccept + 1
        let streamed = count > 2 ? Double(lastOutputCycle - secondOutputCycle) / Double(count - 2) : Double(latency)
        let cycles = tb.cycle
        let (mismatches, details) = try tb.finish()
        return IterNormCosimReport(backend: backend.rawValue, d: lengths[0].d, lengths: lengths, firstVector: firstIndex,
                                   vectors: count, mismatches: mismatches, mismatchDetails: details, latencyCycles: latency,
                                   cyclesPerVector: streamed, cycles: cycles, setupSeconds: setupSeconds,
                                   simulationSeconds: Date().timeIntervalSince(simulationStart))
    }
}
