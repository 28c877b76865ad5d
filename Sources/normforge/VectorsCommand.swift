import ArgumentParser
import CircuitCosim
import Circuits
import Foundation
import Golden

/// `normforge vectors <circuit> ... --out DIR`: golden input and expected output streams as hex
/// files with a JSON description, for testbenches outside NormForge (`testbenches/cocotb/`).
struct VectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectors", abstract: "Write golden input/expected-output vectors (hex + JSON) for any testbench.",
        subcommands: [VectorsIterNormCommand.self, VectorsBFPConvertCommand.self, VectorsBFPDeconvertCommand.self])
}

/// What every `vectors` subcommand prints with `--json`.
struct VectorsReport: Codable {
    var circuit: String
    var top: String
    var items: Int
    var inputBeats: Int
    var expectedBeats: Int
    var latencyCycles: Int
    var files: [String]

    init(_ set: GoldenVectorSet, files: [URL]) {
        let d = set.description
        circuit = d.circuit
        top = d.top
        items = d.items
        inputBeats = d.inputBeats
        expectedBeats = d.expectedBeats
        latencyCycles = d.latencyCycles
        self.files = files.map(\.path)
    }

    func print(json: Bool) throws {
        if json {
            Swift.print(try JSONOutput.text(self))
        } else {
            Swift.print("\(circuit) \(top): \(items) items, \(inputBeats) input beats, \(expectedBeats) expected beats, "
                        + "latency \(latencyCycles) cycles")
            files.forEach { Swift.print("  wrote \($0)") }
        }
    }

    static func write(_ set: GoldenVectorSet, to out: String) throws -> [URL] {
        do { return try set.write(to: URL(fileURLWithPath: out, isDirectory: true)) } catch {
            throw BadInput("cannot write to \(out): \(error.localizedDescription)")
        }
    }
}

struct VectorsIterNormCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iternorm", abstract: "IterNorm vectors of one length d: edge classes first, then random distributions.")
    @OptionGroup var parameters: IterNormParameters
    @Option(help: "Vector length (a multiple of lanes up to d-max; default d-max).") var d: Int?
    @Option(help: "Number of vectors.") var count = 100
    @Option(help: "Stimulus seed.") var seed: UInt64 = 1
    @Option(help: "Output directory (created if missing).") var out: String
    @Flag(help: "Print what was written as JSON.") var json = false

    func run() throws {
        let macro = try parameters.macro()
        let set: GoldenVectorSet
        do {
            set = try GoldenVectorSet.iterNorm(macro, d: d ?? macro.config.dMax, count: count, seed: seed)
        } catch let error as IterNormError { throw BadInput(error.message) }
        try VectorsReport(set, files: try VectorsReport.write(set, to: out)).print(json: json)
    }
}

struct VectorsBFPConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bfp-convert", abstract: "FP -> BFP converter vectors.")
    @OptionGroup var options: BFPConverterOptions
    @Option(help: "Random blocks after the edge-class blocks.") var blocks = 100
    @Option(help: "Stimulus seed.") var seed: UInt64 = 1
    @Option(help: "Output directory (created if missing).") var out: String
    func run() throws { try VectorsBFPRunner.run(.convert, options, blocks: blocks, seed: seed, out: out) }
}

struct VectorsBFPDeconvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bfp-deconvert", abstract: "BFP -> FP converter vectors.")
    @OptionGroup var options: BFPConverterOptions
    @Option(help: "Random blocks after the edge-class blocks.") var blocks = 100
    @Option(help: "Stimulus seed.") var seed: UInt64 = 1
    @Option(help: "Output directory (created if missing).") var out: String
    func run() throws { try VectorsBFPRunner.run(.deconvert, options, blocks: blocks, seed: seed, out: out) }
}

enum VectorsBFPRunner {
    static func run(_ direction: BFPDirection, _ options: BFPConverterOptions, blocks: Int, seed: UInt64, out: String) throws {
        guard blocks >= 0 else { throw BadInput("--blocks must be >= 0") }
        let config = try options.config()
        let set: GoldenVectorSet
        do { set = try GoldenVectorSet.bfp(direction, config, randomBlocks: blocks, seed: seed) } catch let error as BFPFormatError {
            throw BadInput("\(error)")
        }
        try VectorsReport(set, files: try VectorsReport.write(set, to: out)).print(json: options.json)
    }
}
