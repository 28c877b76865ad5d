import Circuits
import Cosim
import Golden
import HDL

/// The outcome of one converter co-simulation.
public struct BFPCosimReport: Sendable, Codable {
    /// `verilator`, `icarus` or `ir-sim`.
    public var backend: String
    /// `bfp-convert` (FP -> BFP) or `bfp-deconvert` (BFP -> FP).
    public var direction: String
    public var blocks: Int
    /// Output beats that came out (each: data lanes, plus scale and last for FP -> BFP).
    public var beats: Int
    /// Output checks that differed from the golden model, plus timing faults (a lost, extra or
    /// late beat, a first beat off the configuration's latency).
    public var mismatches: Int
    /// The first mismatches: block, beat, cycle, port, differing lanes decoded.
    public var mismatchDetails: [CircuitMismatch]
    /// Cycles from the first input beat to its output beat, pipeline idle, block without gaps
    /// (checked against the configuration's latency).
    public var latencyCycles: Int
    /// Cycles per block when blocks stream back to back: the output span less the stimulus's
    /// deliberate idle cycles, over the blocks.
    public var cyclesPerBlock: Double
    /// Elements converted per cycle while a block streams.
    public var elementsPerCycle: Int
    /// Clock cycles simulated.
    public var cycles: Int
}

/// Drives a BFP converter circuit on any backend with a stimulus and checks every output beat
/// against the golden model, bit for bit and in order; blocks stream back to back apart from the
/// stimulus's idle cycles (between and inside blocks); no beat may be lost, added or late beyond
/// the drain time, and the first beat must take exactly the configuration's latency.
///
/// ```swift
/// let config = try BFPConverterConfig(floatFormat: .bf16, bfp: BFPFormat.preset(named: "mxfp8-e4m3"), lanes: 8)
/// let stimulus = try BFPConverterStimulus(config: config, randomBlocks: 24, seed: 11)
/// let report = try BFPCosimulation.runQuantizer(stimulus, backend: .irSim)
/// ```
public enum BFPCosimulation {
    /// FP -> BFP: `in_data` lanes in, `out_data`, `out_scale`, `out_last` checked.
    public static func runQuantizer(_ stimulus: BFPConverterStimulus, backend: SimulationBackend = .verilator,
                                    options: TestbenchOptions = TestbenchOptions()) throws -> BFPCosimReport {
        let cfg = stimulus.config, p = cfg.lanes, source = cfg.floatFormat.width, element = cfg.bfp.element.width
        let beats = schedule(stimulus, blocks: stimulus.blocks.count) { b, j, lanes in
            Beat(block: b, label: "block \(b) beat \(j)",
                 inputs: [("in_data", BitVector(lanes: Array(stimulus.blocks[b][lanes]), laneWidth: source))],
                 expected: [
                    ("out_data", BitVector(lanes: Array(stimulus.quantized[b].elements[lanes]), laneWidth: element)),
                    ("out_scale", BitVector(UInt64(stimulus.quantized[b].scale), width: 8)),
                    ("out_last", BitVector(j == cfg.beatsPerBlock - 1 ? 1 : 0, width: 1)),
                 ])
        }
        let design = try Design(top: BFPQuantizerCircuit.module(cfg))
        return try run(beats, design: design, layouts: ["out_data": layout(cfg.bfp.element)], latency: cfg.quantizerLatency, backend: backend,
                       options: options, direction: "bfp-convert", blocks: stimulus.blocks.count, lanes: p)
    }

    /// BFP -> FP: `in_scale` and `in_data` lanes in, `out_data` checked.
    public static func runDequantizer(_ stimulus: BFPConverterStimulus, backend: SimulationBackend = .verilator,
                                      options: TestbenchOptions = TestbenchOptions()) throws -> BFPCosimReport {
        let cfg = stimulus.config, p = cfg.lanes, source = cfg.floatFormat.width, element = cfg.bfp.element.width
        let beats = schedule(stimulus, blocks: stimulus.bfpBlocks.count) { b, j, lanes in
            let block = stimulus.bfpBlocks[b]
            return Beat(block: b, label: "block \(b) beat \(j), scale \(block.scale)",
                        inputs: [("in_data", BitVector(lanes: Array(block.elements[lanes]), laneWidth: element)),
                                 ("in_scale", BitVector(UInt64(block.scale), width: 8))],
                        expected: [("out_data", BitVector(lanes: Array(stimulus.dequantized[b][lanes]), laneWidth: source))])
        }
        let design = try Design(top: BFPDequantizerCircuit.module(cfg))
        return try run(beats, design: design, layouts: ["out_data": .float(cfg.floatFormat)], latency: cfg.dequantizerLatency,
                       backend: backend, options: options, direction: "bfp-deconvert", blocks: stimulus.bfpBlocks.count, lanes: p)
    }

    /// The beats of the first `blocks` blocks in stream order, each after its idle cycles
    /// (`nil`); `beat(block, beat, lanes)` makes one, `lanes` indexing its elements in the block.
    static func schedule(_ stimulus: BFPConverterStimulus, blocks: Int,
                         beat: (Int, Int, Range<Int>) -> Beat) -> [Beat?] {
        let p = stimulus.config.lanes
        var beats: [Beat?] = []
        for b in 0..<blocks {
            for j in 0..<stimulus.config.beatsPerBlock {
                beats += Array(repeating: nil, count: stimulus.gaps[b][j])
                beats.append(beat(b, j, (j * p)..<((j + 1) * p)))
            }
        }
        return beats
    }

    /// How an element of `kind` reads in a report.
    static func layout(_ kind: BFPElementKind) -> LaneLayout {
        switch kind {
        case .int(let magnitudeBits): return .integer(width: magnitudeBits + 1, signed: true)
        case .float(let format): return .float(format)
        }
    }

    /// One input beat and the output beat it must produce.
    struct Beat {
        let block: Int
        let label: String
        let inputs: [(String, BitVector)]
        let expected: [(String, BitVector)]
    }

    static func run(_ beats: [Beat?], design: Design, layouts: [String: LaneLayout], latency: Int,
                    backend: SimulationBackend, options: TestbenchOptions, direction: String, blocks: Int,
                    lanes: Int) throws -> BFPCosimReport {
        let tb = try CircuitTestbench(design, backend: backend, layouts: layouts, options: options)
        var faults: [CircuitMismatch] = []
        func fault(_ block: Int?, _ message: String) {
            faults.append(CircuitMismatch(vector: block, cycle: tb.cycle, port: "out_valid", message: message))
        }
        try tb.poke("rst", 1)
        try tb.poke("in_valid", 0)
        try tb.step(2)
        try tb.poke("rst", 0)
        let start = tb.cycle
        var pending = beats.compactMap { $0 }[...]
        let firstInput = beats.firstIndex { $0 != nil }
        var firstOutput: Int?, lastOutput = 0, outputs = 0
        // Beats still buffered when the input ends drain at one per cycle after the latency.
        let drain = latency + 2 * beats.count
        var cycle = 0
        while cycle < beats.count || (!pending.isEmpty && cycle < beats.count + drain) {
            let beat = cycle < beats.count ? beats[cycle] : nil
            try tb.poke("in_valid", beat != nil)
            for (port, value) in beat?.inputs ?? [] { try tb.poke(port, value) }
            try tb.step()
            cycle += 1
            guard try tb.observe("out_valid") else { continue }
            guard let due = pending.popFirst() else {
                fault(nil, "out_valid high with no beat due")
                continue
            }
            if firstOutput == nil { firstOutput = cycle }
            lastOutput = cycle
            outputs += 1
            for (port, value) in due.expected {
                try tb.expect(port, value, vector: due.block, label: due.label)
            }
        }
        if let first = pending.first { fault(first.block, "\(pending.count) beats never came out; first: \(first.label)") }
        var measured = latency, perBlock = 0.0
        if let firstInput, let firstOutput {
            measured = firstOutput - firstInput
            if measured != latency { fault(0, "latency \(measured) cycles, expected \(latency)") }
            // Idle input cycles inside the output span: the stimulus's gaps, not the circuit's.
            let idle = beats[firstInput..<min(beats.count, lastOutput - measured + 1)].filter { $0 == nil }.count
            perBlock = Double(lastOutput - firstOutput + 1 - idle) / Double(max(blocks, 1))
        }
        let cycles = tb.cycle - start
        let (count, details) = try tb.finish()
        let kept = Array((faults + details).prefix(options.maxReports))
        return BFPCosimReport(backend: backend.rawValue, direction: direction, blocks: blocks, beats: outputs,
                              mismatches: count + faults.count, mismatchDetails: kept, latencyCycles: measured,
                              cyclesPerBlock: perBlock, elementsPerCycle: lanes, cycles: cycles)
    }
}
