import Circuits
import Cosim
import Golden

/// The outcome of one IterNorm co-simulation run.
public struct IterNormCosimReport: Sendable, Codable {
    /// `verilator`, `icarus` or `ir-sim`.
    public var backend: String
    public var vectors: Int
    /// Output checks (data beats and `out_last`) that differed from the golden model.
    public var mismatches: Int
    /// The first mismatches: vector, cycle, port, differing lanes decoded.
    public var mismatchDetails: [CircuitMismatch]
    /// First input beat accepted to last output beat, one vector into an idle macro.
    public var latencyCycles: Int
    /// Average cycles between consecutive vectors when streamed back to back.
    public var cyclesPerVector: Double
    /// Cycles the design was clocked in total.
    public var cycles: Int
}

/// Drives the IterNorm macro with vectors on any backend and checks every output beat against
/// the golden model bit for bit; measures latency (one vector, idle macro) and the streaming rate.
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
        let cfg = macro.config, width = cfg.format.width, lanes = cfg.lanes
        guard let d = vectors.first?.x.count else { throw IterNormError("no vectors to simulate") }
        try cfg.validate(d: d)
        guard vectors.allSatisfy({ $0.x.count == d }) else { throw IterNormError("all vectors must have d = \(d) elements") }
        let nb = d / lanes
        let gamma = cfg.hasGamma ? vectors[0].gamma : nil
        let beta = cfg.hasBeta ? vectors[0].beta : nil
        let golden = IterNorm(cfg)
        let expected = try vectors.map { v throws(IterNormError) in try golden.normalize(x: v.x, gamma: gamma, beta: beta) }
        func beat(_ values: [UInt64], _ index: Int) -> [UInt64] { Array(values[index * lanes ..< (index + 1) * lanes]) }

        let tb = try CircuitTestbench(try macro.design(), backend: backend,
                                      layouts: ["out_data": .float(cfg.format)], options: options)
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
        var sendVector = 0, sendBeat = 0, recvVector = 0, recvBeat = 0
        var firstAccept = 0, lastOutputCycle: [Int] = []
        let limit = 1000 + vectors.count * (macro.latency(d: d) + 4 * nb) * 4
        var cycle = 0
        while recvVector < vectors.count {
            // The first vector goes alone so that its latency is measured on an idle macro.
            let sending = sendVector < vectors.count && (sendVector == 0 || recvVector >= 1)
            try tb.poke("in_valid", sending)
            if sending { try tb.poke("in_data", lanes: beat(vectors[sendVector].x, sendBeat), width: width) }
            let outReady = recvVector == 0 || backPressure <= 0 || rng.nextUnit() >= backPressure
            try tb.poke("out_ready", outReady)
            let accepted = try sending && tb.observe("in_ready")
            if try tb.observe("out_valid") && outReady {
                let label = "vector \(recvVector) (\(vectors[recvVector].kind)) beat \(recvBeat) of \(nb)"
                try tb.expect("out_data", lanes: beat(expected[recvVector], recvBeat), width: width,
                              vector: recvVector, label: label)
                try tb.expect("out_last", recvBeat == nb - 1, vector: recvVector, label: label)
                recvBeat += 1
                if recvBeat == nb {
                    lastOutputCycle.append(cycle)
                    recvBeat = 0
                    recvVector += 1
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
                throw IterNormError("simulation stalled: \(recvVector) of \(vectors.count) vectors out after \(cycle) cycles")
            }
        }
        let latency = lastOutputCycle[0] - firstAccept + 1
        let streamed = lastOutputCycle.count > 2
            ? Double(lastOutputCycle[lastOutputCycle.count - 1] - lastOutputCycle[1]) / Double(lastOutputCycle.count - 2)
            : Double(latency)
        let cycles = tb.cycle
        let (count, details) = try tb.finish()
        return IterNormCosimReport(backend: backend.rawValue, vectors: vectors.count, mismatches: count,
                                   mismatchDetails: details, latencyCycles: latency, cyclesPerVector: streamed,
                                   cycles: cycles)
    }
}
