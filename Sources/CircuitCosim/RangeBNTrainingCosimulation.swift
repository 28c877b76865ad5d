import Circuits
import Cosim
import Foundation
import Golden
import HDL

/// The outcome of one co-simulation of the range-BN training unit.
public struct RangeBNTrainingCosimReport: Sendable, Codable {
    public var backend: String
    /// Always `range-bn-backward`.
    public var direction: String
    public var steps: Int
    /// Gradient blocks streamed (all steps).
    public var blocks: Int
    /// Output beats compared: forward outputs and dL/dx.
    public var beats: Int
    /// dgamma/dbeta handshakes compared.
    public var parameterGradients: Int
    public var mismatches: Int
    public var mismatchDetails: [CircuitMismatch]
    /// Cycles from offering the first input beat to taking the last output beat, first step.
    public var forwardLatencyCycles: Int
    /// Cycles from offering the first dL/dy beat to taking the last dL/dx beat, first step.
    public var backwardLatencyCycles: Int
    /// Gradient elements per cycle at that rate.
    public var backwardElementsPerCycle: Double
    public var cycles: Int
}

/// Drives the training unit through Cosim's `Testbench` (any backend), step after step: loads
/// gamma and beta, streams the forward tensor and checks its outputs and the running statistics
/// (as `RangeBNCosimulation`), streams dL/dy into `dy_*` and checks every dL/dx beat against
/// `RangeBatchNorm.gradients` and the golden gradient quantizer (its LFSR running on across
/// steps), then takes the C dgamma/dbeta handshakes and checks them.
public enum RangeBNTrainingCosimulation {
    /// With `conventional`, drives the conventional training unit (`ConventionalBNCircuit`, the
    /// area baseline) against `ConventionalBatchNorm` instead (it keeps no running statistics).
    public static func run(_ stimulus: RangeBNTrainingStimulus, backend: SimulationBackend,
                           stalls: StreamOptions = StreamOptions(),
                           options: TestbenchOptions = TestbenchOptions(),
                           conventional: Bool = false) throws -> RangeBNTrainingCosimReport {
        let config = stimulus.config, g = config.golden, p = config.lanes, c = g.channels
        let design = try Design(top: conventional ? ConventionalBNCircuit.module(config, backward: true) : RangeBNTrainingCircuit.module(config))
        let baseline = ConventionalBatchNorm(config: g)
        let layouts = ["out_data": BFPCosimulation.layout(g.output.element), "dx_data": BFPCosimulation.layout(g.gradientOutput.element),
                       "out_scale": LaneLayout.integer(width: 8, signed: false), "dx_scale": LaneLayout.integer(width: 8, signed: false),
                       "dparam_dgamma": LaneLayout.float(.fp32), "dparam_dbeta": LaneLayout.float(.fp32)]
        let tb = try CircuitTestbench(design, backend: backend, layouts: layouts, options: options)
        let model = RangeBatchNorm(config: g)
        var outQuantizer = try BFPQuantizer(format: g.output, source: .fp32, seed: config.seed)
        var dxQuantizer = try BFPQuantizer(format: g.gradientOutput, source: .fp32, seed: config.seed)
        var running = RangeBatchNormRunning(channels: c, positions: g.positions, chunks: g.chunks)
        var report = RangeBNTrainingCosimReport(backend: backend.rawValue, direction: "range-bn-backward", steps: stimulus.steps.count,
                                                blocks: stimulus.blockCount, beats: 0, parameterGradients: 0, mismatches: 0,
                                                mismatchDetails: [], forwardLatencyCycles: 0, backwardLatencyCycles: 0, backwardElementsPerCycle: 0, cycles: 0)
        for port in ["param_valid", "in_valid", "out_ready", "dy_valid", "dx_ready", "dparam_ready"] { try tb.poke(port, false) }
        if !conventional { try tb.poke("running_channel", 0) }
        try tb.testbench.reset()
        let beatsPerBlock = g.input.blockSize / p
        for (t, step) in stimulus.steps.enumerated() {
            let tensor = step.forward
            let label = "step \(t) (\(tensor.kind.rawValue) x, \(step.gradientKind.rawValue) dy)"
            try RangeBNPorts.loadParameters(tb, channels: c, gamma: tensor.gamma, beta: tensor.beta)
            let (values, stats) = try model.normalize(tensor.blocks, gamma: tensor.gamma, beta: tensor.beta)
            let y = conventional ? try baseline.values(tensor.blocks, gamma: tensor.gamma, beta: tensor.beta) : values
            running.update(with: stats, momentum: config.momentum)
            var streamStalls = stalls
            streamStalls.seed = stalls.seed &+ UInt64(2 * t)
            let forwardExpected = RangeBNPorts.outputBeats(try outQuantizer.quantize(stream: y), lanes: p, format: g.output, prefix: "out")
            let forwardCycles = try tb.stream(RangeBNPorts.inputBeats(tensor.blocks, lanes: p, format: g.input, prefix: "in"), into: RangeBNPorts.input("in"),
                              expect: forwardExpected, from: RangeBNPorts.output("out"), options: streamStalls) { beat in
                (t, "\(label) forward block \(beat / beatsPerBlock) beat \(beat % beatsPerBlock)")
            }
            if !conventional { try RangeBNPorts.expectRunning(tb, running, vector: t) }

            let grads = conventional ? try baseline.gradients(stored: tensor.blocks, gamma: tensor.gamma, dy: step.dy)
                : try model.gradients(stored: tensor.blocks, statistics: stats, gamma: tensor.gamma, dy: step.dy)
            let dxExpected = RangeBNPorts.outputBeats(try dxQuantizer.quantize(stream: grads.dx), lanes: p, format: g.gradientOutput, prefix: "dx")
            streamStalls.seed = stalls.seed &+ UInt64(2 * t + 1)
            let cycles = try tb.stream(RangeBNPorts.inputBeats(step.dy, lanes: p, format: g.gradientInput, prefix: "dy"), into: RangeBNPorts.input("dy"),
                                       expect: dxExpected, from: RangeBNPorts.output("dx"), options: streamStalls) { beat in
                (t, "\(label) dL/dx block \(beat / beatsPerBlock) beat \(beat % beatsPerBlock)")
            }
            if t == 0 {
                report.forwardLatencyCycles = forwardCycles
                report.backwardLatencyCycles = cycles
                report.backwardElementsPerCycle = Double(g.positions * c) / Double(cycles)
            }
            // The parameter gradients wait in registers: one handshake per cycle.
            try tb.poke("dparam_ready", true)
            for ch in 0..<c {
                try tb.expect("dparam_valid", true, vector: t, label: "\(label) dparam \(ch) valid")
                try tb.expect("dparam_channel", ch, vector: t, label: "\(label) dparam channel")
                try tb.expect("dparam_dgamma", grads.dgamma[ch], vector: t, label: "\(label) dgamma of channel \(ch)")
                try tb.expect("dparam_dbeta", grads.dbeta[ch], vector: t, label: "\(label) dbeta of channel \(ch)")
                try tb.step()
            }
            try tb.poke("dparam_ready", false)
            try tb.step()
            try tb.expect("dparam_valid", false, vector: t, label: "\(label) dparam after the last channel")
            report.beats += forwardExpected.count + dxExpected.count
            report.parameterGradients += c
        }
        report.cycles = tb.cycle
        (report.mismatches, report.mismatchDetails) = try tb.finish()
        return report
    }
}
