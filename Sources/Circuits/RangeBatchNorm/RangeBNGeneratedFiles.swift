import Foundation
import Golden
import HDL

/// The range batch-norm unit checked in under `generated/`: C = 32 channels, n = 64 positions,
/// K = 8 chunks, MXINT8 blocks in and out (k = 32), 8 elements per beat, with a manifest entry.
/// A test regenerates it and fails on any difference (`NORMFORGE_REGENERATE=1` rewrites it).
/// Its converter submodules are the checked-in `bfp_*` files of the same parameters.
public enum RangeBNGeneratedFiles {
    /// One manifest entry.
    public struct Entry: Codable, Sendable, Hashable {
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
        /// Cycles from a tensor's first input beat to its last output beat, streamed alone
        /// without stalls, and its elements per cycle.
        public var cyclesPerTensor: Int
        public var elementsPerCycle: Double
        /// Cycles per tensor and elements per cycle with tensors back to back.
        public var sustainedCyclesPerTensor: Int
        public var sustainedElementsPerCycle: Double
    }

    public static let manifestName = "rangebn-manifest.json"

    /// The checked-in configuration.
    public static func configuration() throws -> RangeBNUnitConfig {
        let mxint8 = try BFPFormat.preset(named: "mxint8")
        let golden = try RangeBatchNormConfig(channels: 32, positions: 64, chunks: 8, input: mxint8, output: mxint8)
        return try RangeBNUnitConfig(golden: golden, lanes: 8)
    }

    /// File name and text of every file of the design, then the manifest.
    public static func files() throws -> [(name: String, text: String)] {
        let config = try configuration()
        let design = try Design(top: RangeBNUnitCircuit.module(config))
        let files = SystemVerilogEmitter().emit(design).map { (name: $0.fileName, text: $0.text) }
        let g = config.golden
        let entry = Entry(module: design.top, files: files.map(\.name), channels: g.channels, positions: g.positions,
                          chunks: g.chunks, input: g.input.description, output: g.output.description, lanes: config.lanes,
                          statFormat: g.statFormat.name, newtonSteps: g.newtonSteps,
                          eps: String(format: "%.9g", FloatFormat.fp32.toDouble(g.eps)),
                          cyclesPerTensor: config.cyclesPerTensor, elementsPerCycle: config.elementsPerCycle,
                          sustainedCyclesPerTensor: config.sustainedCyclesPerTensor,
                          sustainedElementsPerCycle: config.sustainedElementsPerCycle)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return files + [(manifestName, String(decoding: try encoder.encode([entry]), as: UTF8.self) + "\n")]
    }
}
