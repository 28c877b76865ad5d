import ArgumentParser
import CircuitCosim
import Circuits
import Cosim
import Foundation
import Golden
import HDL

// `generate|cosim|synth range-bn`: thin wrappers over Circuits (generator), CircuitCosim
// (stimulus, driver) and Cosim's Yosys runner.

struct GenerateRangeBNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "range-bn", abstract: "Write the range batch-norm unit's SystemVerilog.")
    @OptionGroup var options: RangeBNOptions
    @Option(help: "Output directory (created if missing).") var out: String = "."
    func run() throws { try RangeBNCommandRunner.generate(options, out: out) }
}

struct CosimRangeBNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "range-bn", abstract: "Co-simulate the range batch-norm unit against the golden model.")
    @OptionGroup var options: RangeBNOptions
    @OptionGroup var stream: BlockCosimOptions
    func run() throws { try RangeBNCommandRunner.cosim(options, blocks: stream.blocks, seed: stream.seed, backend: stream.backend) }
}

struct SynthRangeBNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "range-bn", abstract: "Synthesize the range batch-norm unit with Yosys (generic cells, Xilinx 7 LUT/FF/DSP).")
    @OptionGroup var options: RangeBNOptions
    @OptionGroup var synthesis: SynthesisOptions
    func run() throws { try RangeBNCommandRunner.synth(options, synthesis) }
}

/// What the range-BN subcommands do.
enum RangeBNCommandRunner {
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
        let written = try OutputDirectory.write(SystemVerilogEmitter().emit(design), top: design.top,
                                                description: "NormForge range batch norm: \(parameters(config))", to: out)
        let result = GeneratedDesign(design: design.top, files: written.sources, core: written.core, fileList: written.fileList,
                                     latencyCycles: config.cyclesPerTensor, elementsPerCycle: config.elementsPerCycle,
                                     parameters: parameters(config))
        if options.json {
            print(try JSONOutput.text(result))
        } else {
            print("range-bn \(result.parameters): \(result.design), \(result.latencyCycles) cycles per tensor, "
                  + String(format: "%.3f elements/cycle", result.elementsPerCycle))
            (written.sources + [written.core, written.fileList]).forEach { print("  wrote \($0)") }
        }
    }

    static func cosim(_ options: RangeBNOptions, blocks: Int, seed: UInt64, backend: SimulationBackend) throws {
        guard blocks >= 0 else { throw BadInput("--blocks must be >= 0") }
        let config = try options.config()
        let stimulus: RangeBNStimulus
        do { stimulus = try RangeBNStimulus(config: config, randomBlocks: blocks, seed: seed) } catch {
            throw BadInput("\(error)")
        }
        let start = Date()
        let report = try RangeBNCosimulation.run(stimulus, backend: backend)
        if options.json {
            print(try JSONOutput.text(CosimJSON(report, backend: backend)))
        } else {
            print("range-bn \(parameters(config)) on \(report.backend): \(report.tensors) tensors, \(report.blocks) blocks, "
                  + "\(report.beats) beats, \(report.mismatches) mismatches; \(report.latencyCycles) cycles per tensor, "
                  + String(format: "%.3f elements/cycle (%.1f s)", report.elementsPerCycle, Date().timeIntervalSince(start)))
            report.mismatchDetails.forEach { print("  mismatch: \($0)") }
        }
        if report.mismatches > 0 { throw CheckFailed("\(report.mismatches) mismatches against the golden model") }
    }

    static func synth(_ options: RangeBNOptions, _ synthesis: SynthesisOptions) throws {
        let config = try options.config()
        // Kept hierarchical by default: flattened, Yosys runs out of memory on the FP units.
        try SynthesisReport(try design(config), options: synthesis, flattenByDefault: false,
                            latencyCycles: config.cyclesPerTensor, elementsPerCycle: config.elementsPerCycle)
            .print(json: options.json)
    }
}
