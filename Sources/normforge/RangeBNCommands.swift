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
    @Flag(help: "Stream all tensors back to back with the first tensor's gamma and beta and report the sustained rate (forward, inference).")
    var backToBack = false
    func run() throws {
        try RangeBNCommandRunner.cosim(options, stream, backToBack: backToBack)
    }
}

struct SynthRangeBNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "range-bn", abstract: "Synthesize the range batch-norm unit with Yosys (generic cells, Xilinx 7 LUT/FF/DSP).")
    @OptionGroup var options: RangeBNOptions
    @OptionGroup var synthesis: SynthesisOptions
    func run() throws { try RangeBNCommandRunner.synth(options, synthesis) }
}

/// What the range-BN subcommands do.
enum RangeBNCommandRunner {
    static func parameters(_ config: RangeBNUnitConfig, _ pass: RangeBNPass, conventional: Bool = false) -> String {
        let g = config.golden
        let gradients = pass == .backward ? " gradients \(g.gradientInput) -> \(g.gradientOutput)" : ""
        return (conventional ? "conventional " : "") + "\(pass.rawValue) C=\(g.channels) n=\(g.positions) K=\(g.chunks) in \(g.input) out \(g.output)\(gradients) "
            + "P=\(config.lanes) stat \(g.statFormat.name)"
    }

    static func design(_ config: RangeBNUnitConfig, _ pass: RangeBNPass, conventional: Bool = false) throws -> Design {
        if conventional && pass == .inference { throw BadInput("--conventional has --pass forward and backward") }
        do {
            if conventional { return try Design(top: ConventionalBNCircuit.module(config, backward: pass == .backward)) }
            switch pass {
            case .forward: return try Design(top: RangeBNUnitCircuit.module(config))
            case .backward: return try Design(top: RangeBNTrainingCircuit.module(config))
            case .inference: return try Design(top: RangeBNInferenceCircuit.module(config))
            }
        } catch {
            throw CheckFailed("elaboration failed: \(error)")
        }
    }

    /// The generator's figures: cycles per tensor streamed alone (forward, backward) or input to
    /// output (inference), and elements per cycle streaming (back to back, or the backward pass).
    static func figures(_ config: RangeBNUnitConfig, _ pass: RangeBNPass, conventional: Bool = false) -> (latency: Int, elementsPerCycle: Double) {
        if conventional {
            let cycles = pass == .backward ? ConventionalBNCircuit.backwardCyclesPerTensor(config) : ConventionalBNCircuit.cyclesPerTensor(config)
            return (cycles, Double(config.golden.positions * config.golden.channels) / Double(cycles))
        }
        switch pass {
        case .forward: return (config.cyclesPerTensor, config.sustainedElementsPerCycle)
        case .backward: return (config.backwardCyclesPerTensor, config.backwardElementsPerCycle)
        case .inference: return (config.inferenceLatency, Double(config.lanes))
        }
    }

    static func generate(_ options: RangeBNOptions, out: String) throws {
        let config = try options.config()
        let pass = try options.pass
        let design = try design(config, pass, conventional: options.conventional)
        let written = try OutputDirectory.write(SystemVerilogEmitter().emit(design), top: design.top,
                                                description: "NormForge range batch norm: \(parameters(config, pass, conventional: options.conventional))", to: out)
        let (latency, rate) = figures(config, pass, conventional: options.conventional)
        let result = GeneratedDesign(design: design.top, files: written.sources, core: written.core, fileList: written.fileList,
                                     latencyCycles: latency, elementsPerCycle: rate,
                                     parameters: parameters(config, pass, conventional: options.conventional))
        if options.json {
            print(try JSONOutput.text(result))
        } else {
            let unit = pass == .inference ? "cycles latency" : "cycles per tensor"
            print("range-bn \(result.parameters): \(result.design), \(result.latencyCycles) \(unit), "
                  + String(format: "%.3f elements/cycle", result.elementsPerCycle))
            (written.sources + [written.core, written.fileList]).forEach { print("  wrote \($0)") }
        }
    }

    static func cosim(_ options: RangeBNOptions, _ stream: BlockCosimOptions, backToBack: Bool) throws {
        let blocks = stream.blocks, seed = stream.seed, backend = stream.backend
        guard blocks >= 0 else { throw BadInput("--blocks must be >= 0") }
        let config = try options.config()
        let gates = try stream.gateLevel.prepare(backend: backend)
        let testbench = gates?.options() ?? TestbenchOptions()
        let blockSize = config.golden.input.blockSize
        let pass = try options.pass
        let start = Date()
        let mismatches: Int
        do {
            switch pass {
            case .forward, .inference:
                if options.conventional {
                    throw BadInput("--conventional co-simulates the training unit: use --pass backward (forward and backward passes)")
                }
                let stimulus = try RangeBNStimulus(config: config, randomBlocks: blocks, seed: seed)
                let report = try RangeBNCosimulation.run(stimulus, backend: backend, options: testbench, backToBack: backToBack,
                                                         inference: pass == .inference)
                mismatches = report.mismatches
                let gateSummary = try gates.flatMap { try $0.summary(vectors: report.tensors, elements: report.blocks * blockSize) }
                if options.json { print(try JSONOutput.text(CosimJSON(report, backend: backend, gateLevel: gateSummary))) } else {
                    let rate = report.sustainedElementsPerCycle.map { String(format: "sustained %.3f elements/cycle back to back", $0) }
                        ?? "\(report.latencyCycles) cycles per tensor, " + String(format: "%.3f elements/cycle", report.elementsPerCycle)
                    print("range-bn \(parameters(config, pass)) on \(report.backend): \(report.tensors) tensors, \(report.blocks) blocks, "
                          + "\(report.beats) beats, \(report.mismatches) mismatches; \(rate)"
                          + String(format: " (%.1f s)", Date().timeIntervalSince(start)))
                    report.mismatchDetails.forEach { print("  mismatch: \($0)") }
                    if let gateSummary { print(gateSummary.text) }
                }
            case .backward:
                guard !backToBack else { throw BadInput("--back-to-back applies to --pass forward and inference") }
                let stimulus = try RangeBNTrainingStimulus(config: config, randomBlocks: blocks, seed: seed)
                let report = try RangeBNTrainingCosimulation.run(stimulus, backend: backend, options: testbench,
                                                                 conventional: options.conventional)
                mismatches = report.mismatches
                let gateSummary = try gates.flatMap { try $0.summary(vectors: report.steps, elements: report.blocks * blockSize) }
                if options.json { print(try JSONOutput.text(CosimJSON(report, backend: backend, gateLevel: gateSummary))) } else {
                    print("range-bn \(parameters(config, pass, conventional: options.conventional)) on \(report.backend): "
                          + "\(report.steps) training steps, \(report.blocks) gradient blocks, \(report.beats) beats and "
                          + "\(report.parameterGradients) dgamma/dbeta, \(report.mismatches) mismatches; forward \(report.forwardLatencyCycles), "
                          + "backward \(report.backwardLatencyCycles) cycles per tensor, "
                          + String(format: "%.3f elements/cycle (%.1f s)", report.backwardElementsPerCycle, Date().timeIntervalSince(start)))
                    report.mismatchDetails.forEach { print("  mismatch: \($0)") }
                    if let gateSummary { print(gateSummary.text) }
                }
            }
        } catch let error as BFPFormatError {
            throw BadInput("\(error)")
        }
        if mismatches > 0 { throw CheckFailed("\(mismatches) mismatches against the golden model") }
    }

    static func synth(_ options: RangeBNOptions, _ synthesis: SynthesisOptions) throws {
        let config = try options.config()
        let pass = try options.pass
        // Kept hierarchical by default: flattened, Yosys runs out of memory on the FP units.
        let (latency, rate) = figures(config, pass, conventional: options.conventional)
        let design = try design(config, pass, conventional: options.conventional)
        if let asic = try synthesis.asicReport(design, latencyCycles: latency) {
            return try asic.print(json: options.json)
        }
        try SynthesisReport(design, options: synthesis, flattenByDefault: false,
                            latencyCycles: latency, elementsPerCycle: rate)
            .print(json: options.json)
    }
}
