import ArgumentParser
import Circuits
import Cosim
import Foundation
import HDL

/// The figures `normforge synth` reports.
struct IterNormSynthFigures: Codable, XilinxFigures {
    var top: String
    var genericCells: Int
    var longestPathCells: Int
    var multiplierLongestPathCells: Int
    var pathRatio: Double
    var luts: Int?
    var flipFlops: Int?
    var dsps: Int?
    var carries: Int?
    var shiftRegisterLuts: Int?
}

/// `normforge synth iternorm [parameters] [--json] [--no-xilinx]`.
struct SynthIterNormCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iternorm",
        abstract: "Generic cell count, longest path (ltp -noff) against a single-cycle multiplier, synth_xilinx LUT/FF/DSP.")

    @OptionGroup var parameters: IterNormParameters

    @OptionGroup var bfp: IterNormBFPOptions

    @Flag(inversion: .prefixedNo, help: "Also run synth_xilinx (slow for 64 lanes).")
    var xilinx = true

    @Flag(help: "Print the figures as JSON.")
    var json = false

    func run() throws {
        let macro = try parameters.macro()
        let yosys = YosysRunner()
        // With BFP ports the whole top (converters, queues, macro) is synthesized.
        let bfpMacro = try bfp.macro(around: macro)
        let design = try bfpMacro?.design() ?? macro.design()
        let generic = try yosys.synthesize(design, flatten: true, longestPath: true)
        // Reference: one single-cycle multiplier of the accumulate format, the macro's widest stage.
        let mul = try FloatUnits(macro.config.accumulate).mulModule()
        let reference = try yosys.synthesize(try Design(top: mul), flatten: true, longestPath: true)
        let path = generic.longestPath ?? 0, mulPath = reference.longestPath ?? 0
        var figures = IterNormSynthFigures(top: design.top, genericCells: generic.cells, longestPathCells: path,
                                           multiplierLongestPathCells: mulPath,
                                           pathRatio: mulPath > 0 ? Double(path) / Double(mulPath) : 0)
        if xilinx {
            figures.record(xilinx: try yosys.synthesize(design, flow: .xilinx, flatten: true))
        }
        if json {
            print(try JSONOutput.text(figures))
        } else {
            print("""
                \(figures.top)
                generic cells        \(figures.genericCells)
                longest path         \(figures.longestPathCells) cells (ltp -noff)
                single-cycle mul     \(figures.multiplierLongestPathCells) cells (\(mul.name))
                ratio                \(String(format: "%.2f", figures.pathRatio)) (target <= 1.2)
                """)
            if xilinx {
                print("synth_xilinx         LUT \(figures.luts ?? 0) (+\(figures.shiftRegisterLuts ?? 0) SRL)  FF \(figures.flipFlops ?? 0)  DSP \(figures.dsps ?? 0)  CARRY4 \(figures.carries ?? 0)")
            }
        }
    }
}
