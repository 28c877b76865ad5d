import Golden

/// What the BFP co-simulation needs of a simulator: ports by name as little-endian 64-bit words and
/// one rising clock edge (inputs settle before it, registered outputs are read after it). Adapters
/// wrap Verilator (tests, CLI), so the driver stays free of any one backend.
public protocol BFPSimulator: AnyObject {
    /// Backend name for reports.
    var backendName: String { get }
    func write(_ port: String, _ words: [UInt64]) throws
    func read(_ port: String) throws -> [UInt64]
    /// One rising clock edge.
    func step() throws
}

/// The outcome of one converter co-simulation.
public struct BFPCosimReport: Sendable, Codable {
    public var backend: String
    /// `bfp-convert` (FP -> BFP) or `bfp-deconvert` (BFP -> FP).
    public var direction: String
    public var blocks: Int
    /// Output beats compared (each: data lanes, plus scale and last for FP -> BFP).
    public var beats: Int
    public var mismatches: Int
    /// The first mismatches: block, beat, inputs, expected and actual lanes.
    public var mismatchDetails: [String]
    /// Cycles from the first input beat to its output beat, pipeline idle, block without gaps
    /// (checked against the configuration's latency).
    public var latencyCycles: Int
    /// Elements converted per cycle when blocks stream back to back.
    public var elementsPerCycle: Int
    /// Clock cycles simulated.
    public var cycles: Int
}

/// Drives a BFP converter circuit with a stimulus and checks every output beat against the golden
/// model, bit for bit and in order; blocks stream back to back apart from the stimulus's idle
/// cycles (between and inside blocks); no beat may be lost, added or late beyond the drain time,
/// and the first beat must take exactly the configuration's latency.
public enum BFPCosimulation {
    /// FP -> BFP: `in_data` lanes in, `out_data`, `out_scale`, `out_last` checked.
    public static func runQuantizer(_ stimulus: BFPConverterStimulus, on simulator: BFPSimulator,
                                    maxReports: Int = 8) throws -> BFPCosimReport {
        let cfg = stimulus.config, p = cfg.lanes
        var beats: [Beat?] = []
        for (b, block) in stimulus.blocks.enumerated() {
            for j in 0..<cfg.beatsPerBlock {
                beats += Array(repeating: nil, count: stimulus.gaps[b][j])
                let lanes = Array(block[(j * p)..<((j + 1) * p)])
                let out = Array(stimulus.quantized[b].elements[(j * p)..<((j + 1) * p)])
                beats.append(Beat(
                    inputs: [("in_data", BFPLanes.words(lanes, laneWidth: cfg.floatFormat.width))],
                    expected: [("out_data", BFPLanes.words(out, laneWidth: cfg.bfp.element.width)),
                               ("out_scale", [UInt64(stimulus.quantized[b].scale)]),
                               ("out_last", [j == cfg.beatsPerBlock - 1 ? 1 : 0])],
                    label: "block \(b) beat \(j), inputs \(hex(lanes))"))
            }
        }
        return try run(beats, latency: cfg.quantizerLatency, on: simulator, direction: "bfp-convert",
                   blocks: stimulus.blocks.count, lanes: p, maxReports: maxReports)
    }

    /// BFP -> FP: `in_scale` and `in_data` lanes in, `out_data` checked.
    public static func runDequantizer(_ stimulus: BFPConverterStimulus, on simulator: BFPSimulator,
                                      maxReports: Int = 8) throws -> BFPCosimReport {
        let cfg = stimulus.config, p = cfg.lanes
        var beats: [Beat?] = []
        for (b, block) in stimulus.bfpBlocks.enumerated() {
            for j in 0..<cfg.beatsPerBlock {
                beats += Array(repeating: nil, count: stimulus.gaps[b][j])
                let lanes = Array(block.elements[(j * p)..<((j + 1) * p)])
                let out = Array(stimulus.dequantized[b][(j * p)..<((j + 1) * p)])
                beats.append(Beat(
                    inputs: [("in_data", BFPLanes.words(lanes, laneWidth: cfg.bfp.element.width)),
                             ("in_scale", [UInt64(block.scale)])],
                    expected: [("out_data", BFPLanes.words(out, laneWidth: cfg.floatFormat.width))],
                    label: "block \(b) beat \(j), scale \(block.scale), elements \(hex(lanes))"))
            }
        }
        return try run(beats, latency: cfg.dequantizerLatency, on: simulator, direction: "bfp-deconvert",
                   blocks: stimulus.bfpBlocks.count, lanes: p, maxReports: maxReports)
    }

    struct Beat {
        let inputs: [(String, [UInt64])]
        let expected: [(String, [UInt64])]
        let label: String
    }

    static func hex(_ values: [UInt64]) -> String { values.map { String($0, radix: 16) }.joined(separator: " ") }

    static func run(_ beats: [Beat?], latency: Int, on sim: BFPSimulator, direction: String, blocks: Int,
                    lanes: Int, maxReports: Int) throws -> BFPCosimReport {
        var report = BFPCosimReport(backend: sim.backendName, direction: direction, blocks: blocks, beats: 0,
                                    mismatches: 0, mismatchDetails: [], latencyCycles: latency,
                                    elementsPerCycle: lanes, cycles: 0)
        func fail(_ text: @autoclosure () -> String) {
            report.mismatches += 1
            if report.mismatchDetails.count < maxReports { report.mismatchDetails.append(text()) }
        }
        try sim.write("rst", [1])
        try sim.write("in_valid", [0])
        try sim.step()
        try sim.step()
        try sim.write("rst", [0])
        var pending = beats.compactMap { $0 }[...]
        let firstInput = beats.firstIndex { $0 != nil }
        var firstOutput: Int?
        // Beats still buffered when the input ends drain at one per cycle after the latency.
        let drain = latency + 2 * beats.count
        var cycle = 0
        while cycle < beats.count || (!pending.isEmpty && cycle < beats.count + drain) {
            let beat = cycle < beats.count ? beats[cycle] : nil
            try sim.write("in_valid", [beat == nil ? 0 : 1])
            for (port, words) in beat?.inputs ?? [] { try sim.write(port, words) }
            try sim.step()
            report.cycles += 1
            cycle += 1
            guard try sim.read("out_valid") == [1] else { continue }
            guard let due = pending.popFirst() else {
                fail("cycle \(cycle): out_valid high with no beat due")
                continue
            }
            if firstOutput == nil { firstOutput = cycle }
            report.beats += 1
            for (port, expected) in due.expected {
                let actual = Array(try sim.read(port).prefix(expected.count))
                if actual != expected {
                    fail("\(due.label): \(port) expected \(hex(expected)) got \(hex(actual))")
                }
            }
        }
        if !pending.isEmpty { fail("\(pending.count) beats never came out; first: \(pending.first!.label)") }
        if let firstInput, let firstOutput {
            report.latencyCycles = firstOutput - firstInput
            if report.latencyCycles != latency {
                fail("latency \(report.latencyCycles) cycles, expected \(latency)")
            }
        }
        return report
    }
}
