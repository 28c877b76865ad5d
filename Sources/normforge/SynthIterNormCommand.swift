import ArgumentParser
import Circuits
import Cosim
import Foundation
import HDL

/// `normforge synth iternorm [parameters] [--json] [--no-xilinx] [--flatten|--no-flatten]`.
struct SynthIterNormCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iternorm",
        abstract: "Generic cell count, longest path (ltp -noff) against single-cycle multipliers, synth_xilinx LUT/FF/DSP.")

    @OptionGroup var parameters: IterNormParameters

    @OptionGroup var bfp: IterNormBFPOptions

    @OptionGroup var synthesis: SynthesisOptions

    @Flag(help: "Print the figures as JSON.")
    var json = false

    /// Up to 8 lanes the flattened netlist takes seconds and its longest path crosses unit
    /// boundaries; at 64 lanes flattening takes hours, so the hierarchy is kept.
    static let largestFlattenedLanes = 8

    func run() throws {
        let macro = try parameters.macro()
        let c = macro.config
        // With BFP ports the whole top (converters, queues, macro) is synthesized.
        let bfpMacro = try bfp.macro(around: macro)
        let design = try bfpMacro?.design() ?? macro.design()
        var report = try SynthesisReport(design, options: synthesis, flattenByDefault: c.lanes <= Self.largestFlattenedLanes,
                                         latencyCycles: bfpMacro == nil ? macro.latency(d: c.dMax) : nil, elementsPerCycle: nil)
        // The budget: one single-cycle multiply of the format the macro computes in (the
        // accumulate format) per stage. With FP32 accumulation of a 16-bit format every stage is
        // an FP32 operation; the I/O format's multiplier is shown for comparison (README: the
        // pipelining rule).
        try report.compare(with: try FloatUnits(c.accumulate).mulModule(), limit: 1.2, options: synthesis)
        if c.accumulate != c.format {
            try report.compare(with: try FloatUnits(c.format).mulModule(), limit: nil, options: synthesis)
        }
        try report.print(json: json)
    }
}
