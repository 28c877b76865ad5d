import Circuits
import Cosim
import Foundation
import Golden
import HDL

/// Golden input and output streams of a streaming circuit, written as plain hex files and a JSON
/// description, so that a testbench in any language (cocotb, UVM, a plain SystemVerilog bench)
/// can drive the generated macro and check it without Swift. `testbenches/cocotb/` is one.
///
/// Files in the output directory:
/// - `input.hex`: one line per input beat, the `inputColumns` in order, hex, space separated;
/// - `expected.hex`: one line per output beat, the `expectedColumns`;
/// - `load.hex` (circuits with a parameter memory): one line per address, the load's columns;
/// - `vectors.json`: everything else (see `Description`). `//` lines in the hex files are comments.
///
/// Buses carry lanes side by side, lane 0 in the least significant bits.
public struct GoldenVectorSet: Sendable {
    /// A parameter memory loaded before streaming: `enable` high, `address` counting from 0,
    /// one row of `columns` per address.
    public struct Load: Sendable, Codable {
        public var file: String
        public var enable: String
        public var address: String
        public var columns: [String]
        public var rows: Int
    }

    /// What `vectors.json` holds.
    public struct Description: Sendable, Codable {
        /// `iternorm`, `bfp-convert`, `bfp-deconvert`.
        public var circuit: String
        public var top: String
        public var parameters: String
        public var seed: UInt64
        /// Every port of the top (`clk` and `rst` included), in declaration order.
        public var ports: [Port]
        /// Elements per beat and the width of one lane, per bus port.
        public var lanes: Int
        public var laneWidths: [String: Int]
        public var laneOrder: String
        /// Number formats of the element lanes, per bus port (`fp32`, `int8`, `e4m3`, ...).
        public var formats: [String: String]
        /// Inputs held at one value for the whole stream (e.g. `in_beats`).
        public var constantInputs: [String: UInt64]
        public var load: Load?
        public var inputFile: String
        public var inputColumns: [String]
        public var inputBeats: Int
        public var expectedFile: String
        public var expectedColumns: [String]
        public var expectedBeats: Int
        /// Beats per item (a vector of d elements, a block of k) and items in the stream.
        public var beatsPerItem: Int
        public var items: Int
        /// What each item is (edge class or distribution), in stream order.
        public var itemKinds: [String]
        /// Cycles for the first item into an idle, reset circuit, as `latencyDefinition` says.
        public var latencyCycles: Int
        public var latencyDefinition: String
        /// The rules a driver must follow: reset, valid/ready, back-pressure, gaps.
        public var handshake: [String]
        /// Flags every Verilator build of the macro needs (`ToolWorkarounds`): the cocotb runner passes them.
        public var verilatorFlags: [String] = ToolWorkarounds.verilatorFlags
    }

    public struct Port: Sendable, Codable {
        public var name: String
        public var direction: String
        public var width: Int
    }

    public var description: Description
    var inputRows: [[BitVector]]
    var expectedRows: [[BitVector]]
    var loadRows: [[BitVector]]

    /// Writes the files into `directory` (created if missing); returns their paths.
    public func write(to directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func hex(_ columns: [String], _ rows: [[BitVector]], _ what: String) -> String {
            var text = "// \(description.top) \(what): " + columns.joined(separator: " ") + "\n"
            for row in rows { text += row.map(\.hexDigits).joined(separator: " ") + "\n" }
            return text
        }
        var written: [URL] = []
        func put(_ text: String, _ name: String) throws {
            let url = directory.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            written.append(url)
        }
        try put(hex(description.inputColumns, inputRows, "input beats"), description.inputFile)
        try put(hex(description.expectedColumns, expectedRows, "expected output beats"), description.expectedFile)
        if let load = description.load { try put(hex(load.columns, loadRows, "parameter rows by address"), load.file) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        try put(String(decoding: try encoder.encode(description), as: UTF8.self) + "\n", "vectors.json")
        return written
    }

    static let laneOrder = "lane i of a bus of w-bit lanes occupies bits [w*i + w-1 : w*i] (lane 0 least significant)"

    static func ports(_ design: Design) throws -> [Port] {
        try VerilogDesign(design).ports.map { Port(name: $0.name, direction: $0.direction.rawValue, width: $0.width) }
    }
}

extension GoldenVectorSet {
    /// `count` vectors of `d` elements from `IterNormStimulus` (edge classes first, then the random
    /// distributions) and the golden outputs; the affine parameters of length `d` in `load.hex`.
    public static func iterNorm(_ macro: IterNormMacro, d: Int, count: Int, seed: UInt64) throws -> GoldenVectorSet {
        let c = macro.config, lanes = c.lanes, width = c.format.width
        try c.validate(d: d)
        guard count >= 1 else { throw IterNormError("the vector count must be at least 1") }
        let nb = d / lanes
        var stimulus = IterNormStimulus(c, seed: seed)
        let golden = IterNorm(c)
        let parameters = stimulus.parameters(d: d)
        func beat(_ values: [UInt64], _ index: Int) -> BitVector {
            BitVector(lanes: Array(values[index * lanes ..< (index + 1) * lanes]), laneWidth: width)
        }
        var inputRows: [[BitVector]] = [], expectedRows: [[BitVector]] = [], kinds: [String] = []
        for index in 0..<count {
            let v = stimulus.vector(index, d: d)
            let y = try golden.normalize(x: v.x, gamma: c.hasGamma ? parameters.gamma : nil,
                                         beta: c.hasBeta ? parameters.beta : nil)
            kinds.append(v.kind)
            for b in 0..<nb {
                inputRows.append([beat(v.x, b)])
                expectedRows.append([beat(y, b), BitVector(b == nb - 1 ? 1 : 0, width: 1)])
            }
        }
        var load: Load?, loadRows: [[BitVector]] = []
        if c.affine, let gamma = parameters.gamma {
            let columns = ["param_gamma"] + (c.hasBeta ? ["param_beta"] : [])
            loadRows = (0..<nb).map { b in [beat(gamma, b)] + (parameters.beta.map { [beat($0, b)] } ?? []) }
            load = Load(file: "load.hex", enable: "param_we", address: "param_addr", columns: columns, rows: nb)
        }
        let design = try macro.design()
        let description = Description(
            circuit: "iternorm", top: macro.topName, parameters: macro.parameterLines.joined(separator: ", "), seed: seed,
            ports: try ports(design), lanes: lanes,
            laneWidths: ["in_data": width, "out_data": width] .merging(c.affine ? ["param_gamma": width, "param_beta": width] : [:]) { a, _ in a },
            laneOrder: laneOrder, formats: ["in_data": c.format.name, "out_data": c.format.name],
            constantInputs: ["in_beats": UInt64(nb)], load: load,
            inputFile: "input.hex", inputColumns: ["in_data"], inputBeats: inputRows.count,
            expectedFile: "expected.hex", expectedColumns: ["out_data", "out_last"], expectedBeats: expectedRows.count,
            beatsPerItem: nb, items: count, itemKinds: kinds, latencyCycles: macro.latency(d: d),
            latencyDefinition: "cycles from the rising edge that accepts the first vector's first input beat to the one "
                + "that delivers its last output beat, inclusive, with out_ready high and nothing else in flight",
            handshake: [
                "rst is synchronous and active high: hold it for 2 rising edges of clk with in_valid low",
                "load.hex: after reset, with in_valid low, one row per rising edge with param_we high and param_addr = the row index; then param_we low",
                "in_beats holds d / lanes for the whole stream (change it only when nothing is in flight)",
                "an input beat is accepted on a rising edge where in_valid and in_ready are both high; in_valid may drop between beats",
                "an output beat is taken on a rising edge where out_valid and out_ready are both high; out_ready may drop on any cycle (back-pressure)",
                "out_last is high on the last beat of each vector; outputs come in input order",
            ])
        return GoldenVectorSet(description: description, inputRows: inputRows, expectedRows: expectedRows, loadRows: loadRows)
    }

    /// The BFP converter streams of `BFPConverterStimulus` (edge-class blocks, then `randomBlocks`
    /// random ones): FP blocks into the quantizer (`.convert`) or BFP blocks into the dequantizer.
    public static func bfp(_ direction: BFPDirection, _ config: BFPConverterConfig, randomBlocks: Int,
                           seed: UInt64) throws -> GoldenVectorSet {
        let stimulus = try BFPConverterStimulus(config: config, randomBlocks: randomBlocks, seed: seed)
        let p = config.lanes, source = config.floatFormat.width, element = config.bfp.element.width
        var inputRows: [[BitVector]] = [], expectedRows: [[BitVector]] = []
        let kinds: [String]
        let design = try Design(top: direction.module(config))
        for b in 0..<(direction == .convert ? stimulus.blocks.count : stimulus.bfpBlocks.count) {
            for j in 0..<config.beatsPerBlock {
                let lanes = (j * p)..<((j + 1) * p)
                switch direction {
                case .convert:
                    let q = stimulus.quantized[b]
                    inputRows.append([BitVector(lanes: Array(stimulus.blocks[b][lanes]), laneWidth: source)])
                    expectedRows.append([BitVector(UInt64(q.scale), width: 8),
                                         BitVector(lanes: Array(q.elements[lanes]), laneWidth: element),
                                         BitVector(j == config.beatsPerBlock - 1 ? 1 : 0, width: 1)])
                case .deconvert:
                    let block = stimulus.bfpBlocks[b]
                    inputRows.append([BitVector(UInt64(block.scale), width: 8),
                                      BitVector(lanes: Array(block.elements[lanes]), laneWidth: element)])
                    expectedRows.append([BitVector(lanes: Array(stimulus.dequantized[b][lanes]), laneWidth: source)])
                }
            }
        }
        let blocks = inputRows.count / config.beatsPerBlock
        switch direction {
        case .convert: kinds = (0..<blocks).map { $0 < stimulus.blocks.count - randomBlocks ? "edge" : "random" }
        case .deconvert: kinds = (0..<blocks).map { $0 < stimulus.quantized.count ? "quantized" : "raw" }
        }
        let fp = config.floatFormat.name, bfp = "\(config.bfp)"
        let convert = direction == .convert
        let description = Description(
            circuit: direction.rawValue, top: design.top, parameters: "\(config.floatFormat) \(config.bfp) P=\(p)", seed: seed,
            ports: try ports(design), lanes: p,
            laneWidths: ["in_data": convert ? source : element, "out_data": convert ? element : source],
            laneOrder: laneOrder, formats: ["in_data": convert ? fp : bfp, "out_data": convert ? bfp : fp],
            constantInputs: [:], load: nil,
            inputFile: "input.hex", inputColumns: convert ? ["in_data"] : ["in_scale", "in_data"], inputBeats: inputRows.count,
            expectedFile: "expected.hex", expectedColumns: convert ? ["out_scale", "out_data", "out_last"] : ["out_data"],
            expectedBeats: expectedRows.count, beatsPerItem: config.beatsPerBlock, items: blocks, itemKinds: kinds,
            latencyCycles: direction.latency(config),
            latencyDefinition: "rising edges from the one that takes a block's first input beat to the one after which "
                + "out_valid shows its first output beat",
            handshake: [
                "rst is synchronous and active high: hold it for 2 rising edges of clk with in_valid low",
                "an input beat is taken on every rising edge where in_valid is high (no ready: the converter never stalls)",
                "in_valid may drop between any two beats; output beats keep input order, one per input beat, "
                    + "a fixed number of cycles later",
                convert ? "out_scale is valid on every beat of a block (all beats of a block carry it); out_last marks a block's last beat"
                    : "in_scale must be held at the block's scale on each of its beats",
            ])
        return GoldenVectorSet(description: description, inputRows: inputRows, expectedRows: expectedRows, loadRows: [])
    }
}
