import Circuits
import Cosim
import Foundation
import Golden
import HDL

/// The outcome of one range batch-norm co-simulation.
public struct RangeBNCosimReport: Sendable, Codable {
    public var backend: String
    /// Always `range-bn`.
    public var direction: String
    public var tensors: Int
    /// Input blocks streamed (all tensors).
    public var blocks: Int
    /// Output beats compared (data lanes, scale and last of each).
    public var beats: Int
    public var mismatches: Int
    /// The first mismatches: tensor (edge class) and beat, port, cycle, differing lanes decoded.
    public var mismatchDetails: [CircuitMismatch]
    /// Cycles from offering a tensor's first input beat to taking its last output beat, as
    /// measured on the first tensor (no stalls unless the run adds them); the unit holds one
    /// tensor at a time, so this is also the cycles per tensor.
    public var latencyCycles: Int
    /// Elements normalized per cycle at that rate (n * C / latencyCycles): one tensor alone.
    public var elementsPerCycle: Double
    /// With tensors back to back: all tensors' elements over the cycles from the first input
    /// beat offered to the last output beat taken; nil when tensors were streamed one at a time.
    public var sustainedElementsPerCycle: Double?
    /// Clock cycles simulated (including the gamma/beta loads, one channel per cycle).
    public var cycles: Int
}

/// Drives the range batch-norm unit through Cosim's `Testbench` (any backend): per tensor, loads
/// gamma and beta, streams the input blocks into `in_*` and checks every output beat (`out_data`,
/// `out_scale`, `out_last`) against `RangeBatchNorm` followed by the golden output quantizer, whose
/// LFSR runs on across tensors as the circuit's does; then checks every channel's running
/// statistics (`running_*`) against `RangeBatchNormRunning`. Back to back, gamma and beta are
/// the first tensor's for all, and the tensors stream as one. With `inference`, drives the
/// inference unit instead: each group loads running statistics (the reset state updated with the
/// group's first tensor) with gamma and beta, and outputs are checked against
/// `RangeBatchNorm.inferenceValues`.
public enum RangeBNCosimulation {
    /// Runs every tensor of `stimulus`; `stalls` adds seeded input bubbles and output back-pressure
    /// (the seed advances per tensor). Mismatches are counted in the report, not thrown.
    public static func run(_ stimulus: RangeBNStimulus, backend: SimulationBackend,
                           stalls: StreamOptions = StreamOptions(),
                           options: TestbenchOptions = TestbenchOptions(),
                           backToBack: Bool = false, inference: Bool = false) throws -> RangeBNCosimReport {
        let config = stimulus.config, g = config.golden, p = config.lanes
        let design = try Design(top: inference ? RangeBNInferenceCircuit.module(config) : RangeBNUnitCircuit.module(config))
        let layouts = ["out_data": BFPCosimulation.layout(g.output.element),
                       "out_scale": LaneLayout.integer(width: 8, signed: false)]
        let tb = try CircuitTestbench(design, backend: backend, layouts: layouts, options: options)
        let model = RangeBatchNorm(config: g)
        var quantizer = try BFPQuantizer(format: g.output, source: .fp32, seed: config.seed)
        let input = RangeBNPorts.input("in"), output = RangeBNPorts.output("out")
        let beatsPerBlock = g.input.blockSize / p
        var report = RangeBNCosimReport(backend: backend.rawValue, direction: "range-bn", tensors: stimulus.tensors.count,
                                        blocks: stimulus.blockCount, beats: 0, mismatches: 0, mismatchDetails: [],
                                        latencyCycles: 0, elementsPerCycle: 0, cycles: 0)
        try tb.poke("param_valid", false)
        try tb.poke("in_valid", false)
        try tb.poke("out_ready", false)
        if !inference { try tb.poke("running_channel", 0) }
        try tb.testbench.reset()
        var running = RangeBatchNormRunning(channels: g.channels, positions: g.positions, chunks: g.chunks)
        // Groups of tensors streamed as one: each tensor alone, or all of them back to back.
        let groups = backToBack ? [Array(stimulus.tensors.indices)] : stimulus.tensors.indices.map { [$0] }
        for group in groups {
            let params = stimulus.tensors[group[0]]
            // Inference runs on running statistics as training leaves them after this tensor.
            var stored = RangeBatchNormRunning(channels: g.channels, positions: g.positions, chunks: g.chunks)
            if inference { stored.update(with: try model.statistics(params.blocks), momentum: config.momentum) }
            try RangeBNPorts.loadParameters(tb, channels: g.channels, gamma: params.gamma, beta: params.beta,
                                            running: inference ? stored : nil)
            var items: [[String: any PortValueConvertible]] = [], expected: [[String: any PortValueConvertible]] = []
            var labels: [(tensor: Int, kind: String)] = []
            for t in group {
                let tensor = stimulus.tensors[t]
                let y: [UInt64]
                if inference {
                    y = try model.inferenceValues(tensor.blocks, gamma: params.gamma, beta: params.beta, running: stored)
                } else {
                    let (values, stats) = try model.normalize(tensor.blocks, gamma: params.gamma, beta: params.beta)
                    running.update(with: stats, momentum: config.momentum)
                    y = values
                }
                items += RangeBNPorts.inputBeats(tensor.blocks, lanes: p, format: g.input, prefix: "in")
                expected += RangeBNPorts.outputBeats(try quantizer.quantize(stream: y), lanes: p, format: g.output, prefix: "out")
                labels += Array(repeating: (t, tensor.kind.rawValue), count: g.positions * g.channels / p)
            }
            var groupStalls = stalls
            groupStalls.seed = stalls.seed &+ UInt64(group[0])
            let beatsPerTensor = config.beatsPerTensor
            let cycles = try tb.stream(items, into: input, expect: expected, from: output, options: groupStalls) { beat in
                let (t, kind) = labels[beat], inTensor = beat % beatsPerTensor
                return (t, "tensor \(t) (\(kind)) block \(inTensor / beatsPerBlock) beat \(inTensor % beatsPerBlock)")
            }
            if group[0] == 0 {
                report.latencyCycles = backToBack ? 0 : cycles
                report.elementsPerCycle = backToBack ? 0 : Double(g.positions * g.channels) / Double(cycles)
            }
            if backToBack {
                report.sustainedElementsPerCycle = Double(group.count * g.positions * g.channels) / Double(cycles)
            }
            report.beats += expected.count
            if !inference { try RangeBNPorts.expectRunning(tb, running, vector: group.last!) }
        }
        report.cycles = tb.cycle
        (report.mismatches, report.mismatchDetails) = try tb.finish()
        return report
    }
}
