import Foundation
import Golden
import HDL

/// The range batch-norm units checked in under `generated/`: C = 32 channels, n = 64 positions,
/// K = 8 chunks, MXINT8 blocks in and out (k = 32; gradients too), 8 elements per beat: the
/// forward unit, the training unit (forward and backward) and the inference unit, with a
/// manifest entry each.
/// A test regenerates it and fails on any difference (`NORMFORGE_REGENERATE=1` rewrites it).
/// Its converter submodules are the checked-in `bfp_*` files of the same parameters.
public enum RangeBNGeneratedFiles {
    /// One manifest entry.
    public struct Entry: Codable, Sendable, Hashable {
        /// `forward`, `backward` (the training unit) or `inference`.
        public var pass: String
        /// The top module.
        public var module: String
        /// Every file of the design, submodules first.
        public var files: [String]
        /// C, n, K.
        public var channels: Int
        public var positions: Int
        public var chunks: Int
        /// The input and output BFP formats (`BFPFormat.description`).
        public var input: String
        public var output: String
        /// Elements per beat, P.
        public var lanes: Int
        /// The statistics accumulator format's name, the Newton steps and eps (decimal).
        public var statFormat: String
        public var newtonSteps: Int
        public var eps: String
        /// Forward: cycles from a tensor's first input beat to its last output beat, streamed
        /// alone without stalls; backward: the same from dL/dy to dL/dx; inference: from an input
        /// beat to its output beat.
        public var cyclesPerTensor: Int
        /// Elements per cycle streaming: back to back (forward), the backward pass, P (inference).
        public var elementsPerCycle: Double
    }

    public static let manifestName = "rangebn-manifest.json"

    /// The checked-in configuration.
    public static func configuration() throws -> RangeBNUnitConfig {
        let mxint8 = try BFPFormat.preset(named: "mxint8")
        let golden = try RangeBatchNormConfig(channels: 32, positions: 64, chunks: 8, input: mxint8, output: mxint8)
        return try RangeBNUnitConfig(golden: golden, lanes: 8)
    }

    /// The checked-in designs: top modules with their pass and figures.
    static func designs(_ config: RangeBNUnitConfig) throws -> [(pass: String, module: Module, cycles: Int, rate: Double)] {
        [("forward", try RangeBNUnitCircuit.module(config), config.cyclesPerTensor, config.sustainedElementsPerCycle),
         ("backward", try RangeBNTrainingCircuit.module(config), config.backwardCyclesPerTensor, config.backwardElementsPerCycle),
         ("inference", try RangeBNInferenceCircuit.module(config), config.inferenceLatency, Double(config.lanes))]
    }

    /// File name and text of every file of the designs (each once, submodules before the
    /// modules using them), then the manifest.
    public static func files() throws -> [(name: String, text: String)] {
        let config = try configuration()
        let g = config.golden
        var files: [(name: String, text: String)] = [], entries: [Entry] = []
        for (pass, module, cycles, rate) in try designs(config) {
            let design = try Design(top: module)
            let emitted = SystemVerilogEmitter().emit(design).map { (name: $0.fileName, text: $0.text) }
            files += emitted.filter { file in !files.contains { $0.name == file.name } }
            entries.append(Entry(pass: pass, module: design.top, files: emitted.map(\.name), channels: g.channels,
                                 positions: g.positions, chunks: g.chunks, input: g.input.description,
                                 output: g.output.description, lanes: config.lanes, statFormat: g.statFormat.name,
                                 newtonSteps: g.newtonSteps, eps: String(format: "%.9g", FloatFormat.fp32.toDouble(g.eps)),
                                 cyclesPerTensor: cycles, elementsPerCycle: rate))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return files + [(manifestName, String(decoding: try encoder.encode(entries), as: UTF8.self) + "\n")]
    }

    /// The top-module file names of the checked-in designs, forward first.
    public static func topFiles() throws -> [String] {
        try designs(try configuration()).map { "\($0.module.name).sv" }
    }
}
