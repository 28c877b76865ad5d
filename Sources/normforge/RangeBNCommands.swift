import ArgumentParser
import CircuitCosim
import Circuits
import Cosim
import Foundation
import Golden
import HDL

// `generate|cosim|synth range-bn`: thin wrappers over Circuits (generator), CircuitCosim
// (stimulus, driver) and the Yosys runner the BFP commands use.

struct GenerateRangeBNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "range-bn", abstract: "Write the range batch-norm unit's SystemVerilog.")
    @OptionGroup var options: RangeBNOptions
    @Option(help: "Output directory (created if missing).") var out: String = "."
    func run() throws { try RangeBNCommandRunner.generate(options, out: out) }
}

struct CosimRangeBNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "range-bn", abstract: "Co-simulate the range batch-norm unit against the golden model.")
    @OptionGroup var options: RangeBNOptions
    @Option(help: "Random blocks after the edge-class tensors (rounded up to whole tensors).") var blocks: Int = 1000
    @Option(help: "Stimulus seed.") var seed: UInt64 = 1
    @Option(help: "Simulator: verilator, ir-sim or icarus.") var backend: String = "verilator"
    func run() throws { try RangeBNCommandRunner.cosim(options, blocks: blocks, seed: seed, backend: backend) }
}

struct SynthRangeBNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "range-bn", abstract: "Synthesize the range batch-norm unit with Yosys (generic cells, Xilinx 7 LUT/FF/DSP).")
    @OptionGroup var options: RangeBNOptions
    @Flag(help: "Skip the (slow) Xilinx mapping.") var genericOnly = false
    func run() throws { try RangeBNCommandRunner.synth(options, xilinx: !genericOnly) }
}

/// What the range-BN subcommands do.
enum RangeBNCommandRunner {
    struct Generated: Codable {
        var design: String
        var files: [String]
        var latencyCycles: Int
        var elementsPerCycle: Double
        var parameters: String
    }

    struct Synthesis: Codable {
        var design: String
        var cells: Int
        var luts: Int?
        var flipFlops: Int?
        var dsps: Int?
        var carries: Int?
        var shiftRegisterLUTs: Int?
        var blockRAMs: Int?
        /// Longest topological path inside one module in generic cells (`ltp -noff` on the
        /// hierarchy; a path through unit instances adds their depths).
        var longestPathCells: Int
        var latencyCycles: Int
        var elementsPerCycle: Double
        var seconds: Double
    }

    static func parameters(_ config: RangeBNUnitConfig) -> String {
        let g = config.golden
        return "C=\(g.channels) n=\(g.positions) K=\(g.chunks) in \(g.input) out \(g.output) P=\(config.lanes) stat \(g.statFormat.name)"
    }

    static func design(_ config: RangeBNUnitConfig) throws -> Design {
        do { return try Design(top: RangeBNUnitCircuit.module(config)) } catch {
            throw CheckFailed("elaboration failed: \(error)")
        }
    }

    static func generate(_ options: RangeBNOptions, out: String) throws {
        let config = try options.config()
        let design = try design(config)
        let directory = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var files: [String] = []
        for file in SystemVerilogEmitter().emit(design) {
            let url = directory.appendingPathComponent(file.fileName)
            try file.text.write(to: url, atomically: true, encoding: .utf8)
            files.append(url.path)
        }
        let result = Generated(design: design.top, files: files, latencyCycles: config.cyclesPerTensor,
                               elementsPerCycle: config.elementsPerCycle, parameters: parameters(config))
        if options.json {
            print(try BFPCommandRunner.jsonText(result))
        } else {
            print("range-bn \(result.parameters): \(result.design), \(result.latencyCycles) cycles per tensor, "
                  + String(format: "%.3f elements/cycle", result.elementsPerCycle))
            files.forEach { print("  wrote \($0)") }
        }
    }

    static func cosim(_ options: RangeBNOptions, blocks: Int, seed: UInt64, backend name: String) throws {
        guard blocks >= 0 else { throw BadInput("--blocks must be >= 0") }
        guard let backend = SimulationBackend(rawValue: name) else {
            throw BadInput("--backend must be verilator, ir-sim or icarus, got '\(name)'")
        }
        let config = try options.config()
        let stimulus: RangeBNStimulus
        do { stimulus = try RangeBNStimulus(config: config, randomBlocks: blocks, seed: seed) } catch {
            throw BadInput("\(error)")
        }
        let start = Date()
        let report = try RangeBNCosimulation.run(stimulus, backend: backend)
        if options.json {
            print(try BFPCommandRunner.jsonText(report))
        } else {
            print("range-bn \(parameters(config)) on \(report.backend): \(report.tensors) tensors, \(report.blocks) blocks, "
                  + "\(report.beats) beats, \(report.mismatches) mismatches; \(report.latencyCycles) cycles per tensor, "
                  + String(format: "%.3f elements/cycle (%.1f s)", report.elementsPerCycle, Date().timeIntervalSince(start)))
            report.mismatchDetails.forEach { print("  mismatch: \($0)") }
        }
        if report.mismatches > 0 { throw CheckFailed("\(report.mismatches) mismatches against the golden model") }
    }

    static func synth(_ options: RangeBNOptions, xilinx: Bool) throws {
        let config = try options.config()
        let design = try design(config)
        let start = Date()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("normforge-synth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var sources: [String] = []
        for file in SystemVerilogEmitter().emit(design) {
            try file.text.write(to: directory.appendingPathComponent(file.fileName), atomically: true, encoding: .utf8)
            sources.append(file.fileName)
        }
        let read = "read_verilog -sv \(sources.joined(separator: " "))"
        // Hierarchical: each FP unit module is synthesized once (flattened, Yosys runs out of memory).
        let generic = try hierarchyStat("\(read); synth -top \(design.top)", top: design.top, in: directory, depth: true)
        var result = Synthesis(design: design.top, cells: generic.cells, longestPathCells: generic.depth,
                               latencyCycles: config.cyclesPerTensor, elementsPerCycle: config.elementsPerCycle, seconds: 0)
        if xilinx {
            let x = try hierarchyStat("\(read); synth_xilinx -top \(design.top)", top: design.top, in: directory)
            result.luts = x.byType.filter { $0.key.hasPrefix("LUT") }.values.reduce(0, +)
            result.flipFlops = x.byType.filter { $0.key.hasPrefix("FD") }.values.reduce(0, +)
            result.dsps = x.byType.filter { $0.key.hasPrefix("DSP") }.values.reduce(0, +)
            result.carries = x.byType.filter { $0.key.hasPrefix("CARRY") }.values.reduce(0, +)
            result.shiftRegisterLUTs = x.byType.filter { $0.key.hasPrefix("SRL") }.values.reduce(0, +)
            result.blockRAMs = x.byType.filter { $0.key.hasPrefix("RAMB") }.values.reduce(0, +)
        }
        result.seconds = Date().timeIntervalSince(start)
        if options.json {
            print(try BFPCommandRunner.jsonText(result))
        } else {
            var line = "\(result.design): \(result.cells) generic cells, longest path in one module \(result.longestPathCells) cells"
            if let luts = result.luts, let ff = result.flipFlops, let dsp = result.dsps, let carry = result.carries,
               let srl = result.shiftRegisterLUTs, let bram = result.blockRAMs {
                line += "; Xilinx 7: \(luts) LUT (+\(srl) SRL), \(ff) FF, \(dsp) DSP, \(carry) CARRY4, \(bram) RAMB"
            }
            print(line + "; \(result.latencyCycles) cycles per tensor, " + String(format: "%.3f elements/cycle", result.elementsPerCycle))
        }
    }

    /// Runs a Yosys script on a hierarchy, then `stat -top` (and `ltp -noff` when `depth`);
    /// returns the whole hierarchy's cell counts (instances expanded) and the longest path inside
    /// any one module. Parses the text report: Yosys 0.23's `stat -json -top` is not valid JSON.
    static func hierarchyStat(_ script: String, top: String, in directory: URL, depth: Bool = false) throws
        -> (cells: Int, byType: [String: Int], depth: Int) {
        let result = try ProcessRunner.run(.yosys, ["-p", "\(script); tee -q -o stat.txt stat -top \(top)" + (depth ? "; ltp -noff" : "")],
                                           in: directory)
        guard result.succeeded else { throw CheckFailed("yosys failed: \(result.stderr.suffix(2000))") }
        let text = try String(contentsOf: directory.appendingPathComponent("stat.txt"), encoding: .utf8)
        guard let hierarchy = text.range(of: "=== design hierarchy ===") else {
            throw CheckFailed("yosys printed no design hierarchy for \(top)")
        }
        var cells: Int?
        var byType: [String: Int] = [:]
        for line in text[hierarchy.upperBound...].split(separator: "\n") {
            let fields = line.split(separator: " ")
            if line.contains("Number of cells:"), let n = fields.last.flatMap({ Int($0) }) {
                cells = n
            } else if cells != nil, fields.count == 2, let n = Int(fields[1]) {
                byType[String(fields[0])] = n
            }
        }
        guard let cells else { throw CheckFailed("unexpected yosys statistics format") }
        let depths = result.stdout.components(separatedBy: "(length=").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
        return (cells, byType, depths.max() ?? 0)
    }
}
