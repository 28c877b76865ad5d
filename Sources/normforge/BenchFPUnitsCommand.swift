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
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(["fpunits": results])
        if let output {
            let url = URL(fileURLWithPath: output)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
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
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("normforge-fpunits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = SystemVerilogEmitter().emit(try Design(top: module))
        for file in files {
            try file.text.write(to: dir.appendingPathComponent(file.fileName), atomically: true, encoding: .utf8)
        }
        let script = "read_verilog -sv \(files.map(\.fileName).joined(separator: " ")); synth -top \(module.name); tee -o stat.json stat -json; tee -o ltp.txt ltp -noff"
        let result = try ProcessRunner.run(.yosys, ["-q", "-p", script], in: dir)
        guard result.succeeded else { throw CheckFailed("yosys failed on \(module.name): \(result.stderr.prefix(2000))") }
        let data = try Data(contentsOf: dir.appendingPathComponent("stat.json"))
        let ltp = try String(contentsOf: dir.appendingPathComponent("ltp.txt"), encoding: .utf8)
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let modules = root["modules"] as? [String: Any],
              let stat = modules["\\" + module.name] as? [String: Any],
              let cells = stat["num_cells"] as? Int,
              let range = ltp.range(of: "(length="),
              let depth = Int(ltp[range.upperBound...].prefix { $0.isNumber }) else {
            throw CheckFailed("cannot read the yosys figures of \(module.name)")
        }
        return (cells, depth)
    }
}
