import ArgumentParser
import Circuits
import Cosim
import Foundation
import Golden
import HDL

/// Size and depth of one single-cycle FP unit under Yosys' generic `synth`.
struct FPUnitSynthFigures: Codable {
    var format: String
    var unit: String
    var module: String
    var cells: Int
    /// `ltp -noff`: the longest topological path, in cells.
    var depth: Int
    /// `depth` over the depth of the format's single-cycle multiplier (the macro's budget: <= 1.2).
    var depthOverMul: Double
}

/// `normforge bench fpunits`: generic cell count and longest path (`ltp -noff`) of every
/// single-cycle FP unit, against the multiplier of its format.
struct BenchFPUnitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fpunits",
        abstract: "Yosys generic synth of every single-cycle FP unit: cells and ltp -noff depth relative to mul.")

    @Option(name: .customLong("format"), help: "Formats to measure (repeatable): fp32, fp16, bf16.")
    var formats: [String] = ["fp32", "bf16", "fp16"]

    @Option(help: "Also write the JSON result to this file.")
    var output: String?

    @Flag(help: "Print a JSON document instead of the table.")
    var json = false

    func run() throws {
        var results: [FPUnitSynthFigures] = []
        for name in formats {
            guard let format = FloatFormat.named(name), ["fp32", "fp16", "bf16"].contains(format.name) else {
                throw BadInput("unknown format '\(name)' (expected fp32, fp16 or bf16)")
            }
            results += try measure(format)
        }
        let data = try JSONOutput.data(["fpunits": results])
        try JSONOutput.save(data, to: output)
        if json {
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("format  unit      module                          cells  depth  depth/mul")
        for r in results {
            print(r.format.padding(toLength: 6, withPad: " ", startingAt: 0), "",
                  r.unit.padding(toLength: 9, withPad: " ", startingAt: 0),
                  r.module.padding(toLength: 30, withPad: " ", startingAt: 0),
                  String(format: "%6d %6d %10.2f", r.cells, r.depth, r.depthOverMul))
        }
    }

    /// The single-cycle units of `format`, multiplier first (the reference).
    private func measure(_ format: FloatFormat) throws -> [FPUnitSynthFigures] {
        let units = try FloatUnits(format)
        let other = try FloatUnits(format == .fp32 ? .bf16 : .fp32)
        let wide = try FloatUnits(FloatFormat(name: "fp32e9", exponentBits: 9, fractionBits: 23))
        var modules: [(String, Module)] = [
            ("mul", try units.mulModule()), ("add", try units.addModule()),
            ("scaleB", try units.scaleBModule(kWidth: format.exponentBits + 3)),
            ("convert", try units.convertModule(to: other)), ("convert", try other.convertModule(to: units)),
            ("max", try units.maximumModule()), ("compare", try units.compareModule()),
            ("exponent", try units.exponentModule()),
        ]
        if format == .fp32 {
            modules += [("convert", try units.convertModule(to: wide)), ("convert", try wide.convertModule(to: units))]
        }
        var figures: [FPUnitSynthFigures] = []
        for (unit, module) in modules {
            let (cells, depth) = try synthesize(module)
            let mulDepth = figures.first?.depth ?? depth
            figures.append(FPUnitSynthFigures(format: format.name, unit: unit, module: module.name, cells: cells,
                                              depth: depth, depthOverMul: Double(depth) / Double(max(mulDepth, 1))))
        }
        return figures
    }

    /// Generic `synth`, then `stat` and `ltp -noff`: (cells, longest path).
    private func synthesize(_ module: Module) throws -> (Int, Int) {
        let statistics = try YosysRunner().synthesize(try Design(top: module), longestPath: true)
        return (statistics.cells, statistics.longestPath ?? 0)
    }
}
