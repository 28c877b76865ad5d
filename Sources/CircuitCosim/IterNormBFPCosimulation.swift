import Circuits
import Cosim
import Foundation
import Golden
import HDL

/// The outcome of co-simulating the IterNorm macro with BFP ports.
public struct IterNormBFPCosimReport: Sendable, Codable {
    /// `verilator`, `ir-sim` or `icarus`.
    public var backend: String
    /// Vectors simulated, the first alone, the rest streamed.
    public var vectors: Int
    /// Length of every vector.
    public var d: Int
    /// Output beats compared (data lanes, scale, block-last and vector-last each).
    public var outputBeats: Int
    /// Output port checks that differed from the golden model (each beat has four).
    public var mismatches: Int
    /// The first mismatches: vector (edge class) and beat, port, cycle, differing lanes decoded.
    public var mismatchDetails: [CircuitMismatch]
    /// First input beat accepted to last output beat of the first vector, idle macro, no stalls.
    public var latencyCycles: Int
    /// What `IterNormBFPMacro.latency(d:)` predicts.
    public var expectedLatencyCycles: Int
    /// The IterNorm macro's own latency at this d (`IterNormMacro.latency(d:)`).
    public var macroLatencyCycles: Int
    /// Average cycles per vector over the rest of the stream (with its bubbles and back-pressure).
    public var cyclesPerVector: Double
    /// Clock cycles simulated in total.
    public var cycles: Int
}

/// Drives the IterNorm macro with BFP ports on any `Testbench` backend and checks every output
/// beat (elements, scale, block and vector ends) against `IterNormBFPGolden`, bit for bit and in
/// order. The first vector runs alone into the idle macro (its latency is measured); the rest
/// stream back to back with seeded input bubbles and output back-pressure.
///
/// ```swift
/// var stimulus = try IterNormBFPStimulus(config: cfg, d: 64, seed: 1)
/// let vectors = try (0..<30).map { try stimulus.vector($0) }
/// let report = try IterNormBFPCosimulation(macro: IterNormBFPMacro(cfg), backend: .verilator)
///     .run(vectors, gamma: stimulus.gamma, beta: stimulus.beta)
/// ```
public struct IterNormBFPCosimulation {
    public let macro: IterNormBFPMacro
    public let backend: SimulationBackend
    public let options: TestbenchOptions

    /// A driver for `macro` on `backend` (the design is built, or fetched from the cache, by `run`).
    public init(macro: IterNormBFPMacro, backend: SimulationBackend, options: TestbenchOptions = TestbenchOptions()) {
        self.macro = macro
        self.backend = backend
        self.options = options
    }

    static let source = StreamInterface(valid: "in_valid", ready: "in_ready", data: ["in_data", "in_scale", "in_beats"])
    static let sink = StreamInterface(valid: "out_valid", ready: "out_ready",
                                      data: ["out_data", "out_scale", "out_block_last", "out_last"])
    /// Runs `vectors` (all of one length d) with the parameter memory loaded from `gamma`/`beta`
    /// (IterNorm format encodings of length d, required when the configuration uses them).
    public func run(_ vectors: [IterNormBFPVector], gamma: [UInt64]?, beta: [UInt64]?,
                    bubbleProbability: Double = 0, backPressure: Double = 0, seed: UInt64 = 1) throws -> IterNormBFPCosimReport {
        let cfg = macro.config, norm = cfg.iterNorm, p = norm.lanes
        guard let first = vectors.first else { throw IterNormError("no vectors to simulate") }
        let d = first.blocks.count * cfg.input.blockSize
        try cfg.validate(d: d)
        guard vectors.allSatisfy({ $0.blocks.count == first.blocks.count }) else {
            throw IterNormError("every vector must hold \(first.blocks.count) blocks")
        }
        if norm.hasGamma, gamma?.count != d { throw IterNormError("gamma must hold \(d) values") }
        if norm.hasBeta, beta?.count != d { throw IterNormError("beta must hold \(d) values") }
        let nb = d / p
        var golden = try IterNormBFPGolden(cfg)
        let expected = try vectors.map { v throws(IterNormError) in
            try golden.normalize(v.blocks, gamma: norm.hasGamma ? gamma : nil, beta: norm.hasBeta ? beta : nil)
        }

        let layouts = ["out_data": BFPCosimulation.layout(cfg.output.element),
                       "out_scale": LaneLayout.integer(width: 8, signed: false)]
        let tb = try CircuitTestbench(try macro.design(), backend: backend, layouts: layouts, options: options)
        try tb.poke("out_ready", true)
        try tb.testbench.reset(cycles: 2)
        if norm.affine, let gamma {
            try loadParameters(tb.testbench, gamma: gamma, beta: norm.hasBeta ? beta : nil, beats: nb)
        }
        let inputs = vectors.map { inputBeats($0.blocks, beats: nb) }
        let outputs = expected.map { outputBeats($0, beats: nb) }
        // Stream item i of the whole run: vector i / nb, beat i % nb.
        func label(_ item: Int) -> (vector: Int, label: String) {
            let v = item / nb
            return (v, "vector \(v) (\(vectors[v].kind)) beat \(item % nb)")
        }
        let latency = try tb.stream(inputs[0], into: Self.source, expect: outputs[0], from: Self.sink,
                                    options: StreamOptions(seed: seed, timeoutCycles: 100 * macro.latency(d: d)), label: label)
        var streamCycles = 0
        if vectors.count > 1 {
            streamCycles = try tb.stream(
                Array(inputs[1...].joined()), into: Self.source, expect: Array(outputs[1...].joined()), from: Self.sink,
                options: StreamOptions(seed: seed, bubbleProbability: bubbleProbability, backpressureProbability: backPressure,
                                       timeoutCycles: 100 * vectors.count * macro.latency(d: d))) { label($0 + nb) }
        }
        let (failed, mismatches) = try tb.finish()
        return IterNormBFPCosimReport(
            backend: backend.rawValue, vectors: vectors.count, d: d, outputBeats: vectors.count * nb,
            mismatches: failed, mismatchDetails: mismatches,
            latencyCycles: latency, expectedLatencyCycles: macro.latency(d: d),
            macroLatencyCycles: macro.macro.latency(d: d),
            cyclesPerVector: vectors.count > 1 ? Double(streamCycles) / Double(vectors.count - 1) : Double(latency),
            cycles: tb.cycle)
    }

    private func loadParameters(_ tb: Testbench, gamma: [UInt64], beta: [UInt64]?, beats: Int) throws {
        let f = macro.config.iterNorm.format, p = macro.config.iterNorm.lanes
        for beat in 0..<beats {
            try tb.poke("param_we", true)
            try tb.poke("param_addr", beat)
            try tb.poke("param_gamma", BitVector(lanes: Array(gamma[beat * p ..< (beat + 1) * p]), laneWidth: f.width))
            if let beta { try tb.poke("param_beta", BitVector(lanes: Array(beta[beat * p ..< (beat + 1) * p]), laneWidth: f.width)) }
            try tb.step()
        }
        try tb.poke("param_we", false)
    }

    /// The input beats of one vector: P elements, their block's scale, d / P.
    private func inputBeats(_ blocks: [BFPBlock], beats: Int) -> [[String: any PortValueConvertible]] {
        blocks.beats(lanes: macro.config.iterNorm.lanes, elementWidth: macro.config.input.element.width).map { beat in
            ["in_data": beat.data, "in_scale": beat.scale, "in_beats": beats]
        }
    }

    /// The expected output beats of one vector.
    private func outputBeats(_ blocks: [BFPBlock], beats: Int) -> [[String: any PortValueConvertible]] {
        blocks.beats(lanes: macro.config.iterNorm.lanes, elementWidth: macro.config.output.element.width).enumerated().map { j, beat in
            ["out_data": beat.data, "out_scale": beat.scale, "out_block_last": beat.endsBlock, "out_last": j == beats - 1]
        }
    }
}
