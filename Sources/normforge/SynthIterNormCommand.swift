import ArgumentParser
import Circuits
import Cosim
import Foundation
import Golden
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
        let latency = bfpMacro?.latency(d: c.dMax) ?? macro.latency(d: c.dMax)
        if let asic = try synthesis.asicReport(design, latencyCycles: latency) {
            return try asic.print(json: json)
        }
        try Self.report(design, config: c, latencyCycles: latency, options: synthesis).print(json: json)
    }

    /// The synthesis report of an IterNorm design (the macro, or the macro with BFP ports) with
    /// its path budget: one single-cycle multiply of the format the macro computes in (the
    /// accumulate format) per stage, at most 1.2x. With FP32 accumulation of a 16-bit format every
    /// stage is an FP32 operation; the I/O format's multiplier is shown for comparison (README:
    /// the pipelining rule).
    static func report(_ design: Design, config c: IterNormConfig, latencyCycles: Int,
                       options: SynthesisOptions) throws -> SynthesisReport {
        var report = try SynthesisReport(design, options: options, flattenByDefault: c.lanes <= largestFlattenedLanes,
                                         latencyCycles: latencyCycles, elementsPerCycle: nil)
        try report.compare(with: try FloatUnits(c.accumulate).mulModule(), limit: 1.2, options: options)
        if c.accumulate != c.format {
            try report.compare(with: try FloatUnits(c.format).mulModule(), limit: nil, options: options)
        }
        return report
    }
}
