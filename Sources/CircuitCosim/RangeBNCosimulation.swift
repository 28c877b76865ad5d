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
    /// Elements normalized per cycle at that rate (n * C / latencyCycles).
    public var elementsPerCycle: Double
    /// Clock cycles simulated (including the gamma/beta loads, one channel per cycle).
    public var cycles: Int
}

/// Drives the range batch-norm unit through Cosim's `Testbench` (any backend): per tensor, loads
/// gamma and beta, streams the input blocks into `in_*` and checks every output beat (`out_data`,
/// `out_scale`, `out_last`) against `RangeBatchNorm` followed by the golden output quantizer, whose
/// LFSR runs on across tensors as the circuit's does.
public enum RangeBNCosimulation {
    /// Runs every tensor of `stimulus`; `stalls` adds seeded input bubbles and output back-pressure
    /// (the seed advances per tensor). Mismatches are counted in the report, not thrown.
    public static func run(_ stimulus: RangeBNStimulus, backend: SimulationBackend,
                           stalls: StreamOptions = StreamOptions(),
                           options: TestbenchOptions = TestbenchOptions()) throws -> RangeBNCosimReport {
        let config = stimulus.config, g = config.golden, p = config.lanes
        let design = try Design(top: RangeBNUnitCircuit.module(config))
        let layouts = ["out_data": BFPCosimulation.layout(g.output.element),
                       "out_scale": LaneLayout.integer(width: 8, signed: false)]
        let tb = try CircuitTestbench(design, backend: backend, layouts: layouts, options: options)
        let model = RangeBatchNorm(config: g)
        var quantizer = try BFPQuantizer(format: g.output, source: .fp32, seed: config.seed)
        let input = StreamInterface(valid: "in_valid", ready: "in_ready", data: ["in_scale", "in_data"])
        let output = StreamInterface(valid: "out_valid", ready: "out_ready", data: ["out_scale", "out_data", "out_last"])
        let beatsPerBlock = g.input.blockSize / p
        var report = RangeBNCosimReport(backend: backend.rawValue, direction: "range-bn", tensors: stimulus.tensors.count,
                                        blocks: stimulus.blockCount, beats: 0, mismatches: 0, mismatchDetails: [],
                                        latencyCycles: 0, elementsPerCycle: 0, cycles: 0)
        try tb.poke("param_valid", false)
        try tb.poke("in_valid", false)
        try tb.poke("out_ready", false)
        try tb.testbench.reset()
        for (t, tensor) in stimulus.tensors.enumerated() {
            for c in 0..<g.channels {
                try tb.poke("param_valid", true)
                try tb.poke("param_channel", c)
                try tb.poke("param_gamma", tensor.gamma[c])
                try tb.poke("param_beta", tensor.beta[c])
                try tb.step()
            }
            try tb.poke("param_valid", false)
            let y = try model.normalize(tensor.blocks, gamma: tensor.gamma, beta: tensor.beta).values
            let expectedBlocks = try quantizer.quantize(stream: y)
            let items = tensor.blocks.beats(lanes: p, elementWidth: g.input.element.width).map { beat in
                ["in_scale": beat.scale, "in_data": beat.data] as [String: any PortValueConvertible]
            }
            let expected = expectedBlocks.beats(lanes: p, elementWidth: g.output.element.width).map { beat in
                ["out_scale": beat.scale, "out_data": beat.data, "out_last": beat.endsBlock]
                    as [String: any PortValueConvertible]
            }
            var tensorStalls = stalls
            tensorStalls.seed = stalls.seed &+ UInt64(t)
            let kind = tensor.kind.rawValue
            let cycles = try tb.stream(items, into: input, expect: expected, from: output, options: tensorStalls) { beat in
                (t, "tensor \(t) (\(kind)) block \(beat / beatsPerBlock) beat \(beat % beatsPerBlock)")
            }
            if t == 0 {
                report.latencyCycles = cycles
                report.elementsPerCycle = Double(g.positions * g.channels) / Double(cycles)
            }
            report.beats += expected.count
        }
        report.cycles = tb.cycle
        (report.mismatches, report.mismatchDetails) = try tb.finish()
        return report
    }
}
