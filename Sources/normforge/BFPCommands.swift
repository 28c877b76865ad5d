import ArgumentParser
import CircuitCosim
import Circuits
import Cosim
import Foundation
import Golden
import HDL

// `generate|cosim|synth bfp-convert|bfp-deconvert`: thin wrappers over Circuits (generators,
// stimulus, co-simulation driver) and the tool runners.

struct GenerateBFPConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bfp-convert", abstract: "Write the FP -> BFP converter SystemVerilog.")
    @OptionGroup var options: BFPConverterOptions
    @Option(help: "Output directory (created if missing).") var out: String = "."
    func run() throws { try BFPCommandRunner.generate(.convert, options, out: out) }
}

struct GenerateBFPDeconvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bfp-deconvert", abstract: "Write the BFP -> FP converter SystemVerilog.")
    @OptionGroup var options: BFPConverterOptions
    @Option(help: "Output directory (created if missing).") var out: String = "."
    func run() throws { try BFPCommandRunner.generate(.deconvert, options, out: out) }
}

struct CosimBFPConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bfp-convert", abstract: "Co-simulate the FP -> BFP converter against the golden model.")
    @OptionGroup var options: BFPConverterOptions
    @OptionGroup var stream: BlockCosimOptions
    func run() throws { try BFPCommandRunner.cosim(.convert, options, stream) }
}

struct CosimBFPDeconvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bfp-deconvert", abstract: "Co-simulate the BFP -> FP converter against the golden model.")
    @OptionGroup var options: BFPConverterOptions
    @OptionGroup var stream: BlockCosimOptions
    func run() throws { try BFPCommandRunner.cosim(.deconvert, options, stream) }
}

struct SynthBFPConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bfp-convert", abstract: "Synthesize the FP -> BFP converter with Yosys (generic cells, Xilinx 7 LUT/FF/DSP).")
    @OptionGroup var options: BFPConverterOptions
    @OptionGroup var synthesis: SynthesisOptions
    func run() throws { try BFPCommandRunner.synth(.convert, options, synthesis) }
}

struct SynthBFPDeconvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bfp-deconvert", abstract: "Synthesize the BFP -> FP converter with Yosys (generic cells, Xilinx 7 LUT/FF/DSP).")
    @OptionGroup var options: BFPConverterOptions
    @OptionGroup var synthesis: SynthesisOptions
    func run() throws { try BFPCommandRunner.synth(.deconvert, options, synthesis) }
}

/// What the BFP subcommands do, shared by both directions.
enum BFPCommandRunner {
    static func design(_ direction: BFPDirection, _ config: BFPConverterConfig) throws -> Design {
        do {
            return try Design(top: direction.module(config))
        } catch {
            throw CheckFailed("elaboration failed: \(error)")
        }
    }

    static func generate(_ direction: BFPDirection, _ options: BFPConverterOptions, out: String) throws {
        let config = try options.config()
        let design = try design(direction, config)
        let parameters = "\(config.floatFormat) \(config.bfp) P=\(config.lanes)"
        let written = try OutputDirectory.write(SystemVerilogEmitter().emit(design), top: design.top,
                                                description: "NormForge \(direction.rawValue): \(parameters)", to: out)
        let result = GeneratedDesign(design: design.top, files: written.sources, core: written.core, fileList: written.fileList,
                                     latencyCycles: direction.latency(config), elementsPerCycle: Double(config.lanes),
                                     parameters: parameters)
        if options.json {
            print(try JSONOutput.text(result))
        } else {
            print("\(direction.rawValue) \(result.parameters): \(result.design), latency \(result.latencyCycles) cycles, \(config.lanes) elements/cycle")
            (written.sources + [written.core, written.fileList]).forEach { print("  wrote \($0)") }
        }
    }

    static func cosim(_ direction: BFPDirection, _ options: BFPConverterOptions, _ stream: BlockCosimOptions) throws {
        let blocks = stream.blocks, seed = stream.seed, backend = stream.backend
        guard blocks >= 0 else { throw BadInput("--blocks must be >= 0") }
        let config = try options.config()
        let gates = try stream.gateLevel.prepare(backend: backend, flatten: true)
        let testbench = gates?.options() ?? TestbenchOptions()
        let stimulus: BFPConverterStimulus
        do { stimulus = try BFPConverterStimulus(config: config, randomBlocks: blocks, seed: seed) } catch {
            throw BadInput("\(error)")
        }
        let start = Date()
        let report = direction == .convert ? try BFPCosimulation.runQuantizer(stimulus, backend: backend, options: testbench)
            : try BFPCosimulation.runDequantizer(stimulus, backend: backend, options: testbench)
        let gateSummary = try gates.flatMap { try $0.summary(vectors: report.blocks, elements: report.blocks * config.bfp.blockSize) }
        if options.json {
            print(try JSONOutput.text(CosimJSON(report, backend: backend, gateLevel: gateSummary)))
        } else {
            print("\(direction.rawValue) \(config.floatFormat) \(config.bfp) P=\(config.lanes) on \(report.backend): "
                  + "\(report.blocks) blocks, \(report.beats) beats, \(report.mismatches) mismatches; latency \(report.latencyCycles) cycles, "
                  + "\(String(format: "%.2f", report.cyclesPerBlock)) cycles/block, \(report.elementsPerCycle) elements/cycle "
                  + "(\(String(format: "%.1f", Date().timeIntervalSince(start))) s)")
            report.mismatchDetails.forEach { print("  mismatch: \($0)") }
            if let gateSummary { print(gateSummary.text) }
        }
        if report.mismatches > 0 { throw CheckFailed("\(report.mismatches) mismatches against the golden model") }
    }

    static func synth(_ direction: BFPDirection, _ options: BFPConverterOptions, _ synthesis: SynthesisOptions) throws {
        let config = try options.config()
        let design = try design(direction, config)
        if let asic = try synthesis.asicReport(design, latencyCycles: direction.latency(config)) {
            return try asic.print(json: options.json)
        }
        try SynthesisReport(design, options: synthesis, flattenByDefault: false, latencyCycles: direction.latency(config),
                            elementsPerCycle: Double(config.lanes)).print(json: options.json)
    }
}
