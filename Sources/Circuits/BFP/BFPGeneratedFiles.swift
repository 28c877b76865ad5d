import Foundation
import Golden
import HDL

/// The BFP converters checked in under `generated/`: MXINT8 and MXFP8 (E4M3) from FP32 and BF16,
/// k = 32, 8 elements per beat, both directions, with a manifest of their parameters. A test
/// regenerates them and fails on any difference (`NORMFORGE_REGENERATE=1` rewrites them).
public enum BFPGeneratedFiles {
    /// One manifest entry.
    public struct Entry: Codable, Sendable, Hashable {
        public var module: String
        public var direction: String
        public var source: String
        public var preset: String
        public var blockSize: Int
        public var element: String
        public var rule: String
        public var rounding: String
        public var lanes: Int
        public var latencyCycles: Int
        public var elementsPerCycle: Int
    }

    public static let manifestName = "bfp-manifest.json"

    /// (preset, configuration) of every checked-in converter pair.
    public static func configurations() throws(BFPFormatError) -> [(preset: String, config: BFPConverterConfig)] {
        var result: [(String, BFPConverterConfig)] = []
        for preset in ["mxint8", "mxfp8-e4m3"] {
            for source in [FloatFormat.fp32, .bf16] {
                result.append((preset, try BFPConverterConfig(floatFormat: source, bfp: BFPFormat.preset(named: preset), lanes: 8)))
            }
        }
        return result
    }

    /// File name and text of every checked-in file: one `.sv` per module, then the manifest.
    public static func files() throws -> [(name: String, text: String)] {
        var files: [(String, String)] = []
        var entries: [Entry] = []
        for (preset, config) in try configurations() {
            for (direction, module, latency) in [("bfp-convert", BFPQuantizerCircuit.module(config), config.quantizerLatency),
                                                 ("bfp-deconvert", BFPDequantizerCircuit.module(config), config.dequantizerLatency)] {
                let design = try Design(top: module)
                files += SystemVerilogEmitter().emit(design).map { ($0.fileName, $0.text) }
                entries.append(Entry(module: design.top, direction: direction, source: config.floatFormat.name,
                                     preset: preset, blockSize: config.bfp.blockSize, element: config.bfp.element.description,
                                     rule: config.bfp.rule.rawValue, rounding: config.bfp.rounding.rawValue,
                                     lanes: config.lanes, latencyCycles: latency, elementsPerCycle: config.lanes))
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        files.append((manifestName, String(decoding: try encoder.encode(entries), as: UTF8.self) + "\n"))
        return files
    }
}
