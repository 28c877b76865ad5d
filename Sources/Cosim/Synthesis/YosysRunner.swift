import Foundation
import HDL

/// Which Yosys synthesis script maps the design.
public enum SynthesisFlow: String, Sendable, Codable {
    /// `synth`: Yosys' generic gate-level cells (`$_AND_`, `$_DFF_P_`, ...).
    case generic
    /// `synth_xilinx`: Xilinx 7-series primitives (LUTn, FD*, DSP48E1, CARRY4, SRL*).
    case xilinx
}

/// What Yosys counted for a design after synthesis: the whole hierarchy under the top (each
/// instance of a submodule counted with its cells), so a flattened and a hierarchical run count
/// alike.
public struct SynthesisStatistics: Sendable, Codable, Hashable {
    public let top: String
    public let flow: SynthesisFlow
    /// All cells of the hierarchy (`stat -json -top`'s design `num_cells`).
    public let cells: Int
    public let cellsByType: [String: Int]
    /// `ltp -noff`: the longest topological path in cells within one module, a logic-depth proxy
    /// (of the whole design when flattened; when asked for).
    public let longestPath: Int?
    /// Whether these figures came from the runner's cache rather than a Yosys run just now (not
    /// part of equality: a cached result equals the run it was stored from).
    public internal(set) var fromCache = false

    private enum CodingKeys: String, CodingKey { case top, flow, cells, cellsByType, longestPath }

    public static func == (a: Self, b: Self) -> Bool {
        a.top == b.top && a.flow == b.flow && a.cells == b.cells && a.cellsByType == b.cellsByType
            && a.longestPath == b.longestPath
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(top)
        hasher.combine(flow)
        hasher.combine(cells)
        hasher.combine(cellsByType)
        hasher.combine(longestPath)
    }

    /// The cells whose type starts with `prefix` (`LUT`, `FD`, `DSP`, `CARRY`, `SRL`).
    public func cells(prefix: String) -> Int {
        cellsByType.filter { $0.key.hasPrefix(prefix) }.values.reduce(0, +)
    }
}

/// Runs Yosys on SystemVerilog and reads back cell counts and the longest path: the one place
/// the CLI's `synth` and `bench` commands synthesize. A missing `yosys` is `ToolNotFound` (which
/// says to run `make setup`); a rejected design is `CosimError.buildFailed` with Yosys' message.
///
/// With a cache directory, the statistics of each (Yosys version, script, sources) are kept
/// there (`CacheStore`: atomic, checked entries), so that re-synthesizing an unchanged 64-lane
/// macro costs a hash instead of tens of minutes.
public struct YosysRunner: Sendable {
    /// Finds `yosys`.
    public let locator: ToolLocator
    /// Where results are cached (`yosys/<key>/statistics.json`); nil synthesizes every time.
    public let cacheDirectory: URL?

    public init(locator: ToolLocator = ToolLocator(), cacheDirectory: URL? = nil) {
        self.locator = locator
        self.cacheDirectory = cacheDirectory
    }

    /// Synthesizes `sources` with top module `top`: `flatten` merges submodules into the top so
    /// that paths cross module boundaries (large designs may need the hierarchy kept: Yosys
    /// synthesizes each module once); `longestPath` adds `ltp -noff`. `keepMemories` (generic
    /// flow) leaves each inferred memory as one `$mem_v2` cell, an SRAM macro, instead of
    /// mapping it to flip-flops and read multiplexers: `synth`'s script without `memory_map`
    /// (mapping the 64-lane IterNorm macro's buffers takes 15 of its 16 minutes).
    public func synthesize(_ sources: [VerilogSource], top: String, flow: SynthesisFlow = .generic,
                           flatten: Bool = false, longestPath: Bool = false,
                           keepMemories: Bool = false) throws -> SynthesisStatistics {
        let yosys = try locator.path(of: .yosys)
        let command = flow == .generic ? "synth" : "synth_xilinx"
        let synth = "\(command)\(flatten ? " -flatten" : "") -top \(top)"
        let mapping = flow == .generic && keepMemories
            ? "\(synth) -run :fine; opt -fast -full; opt -full; techmap; opt -fast; abc -fast; opt -fast" : synth
        var script = "read_verilog -sv \(sources.map(\.fileName).joined(separator: " ")); "
            + "\(mapping); tee -q -o stat.json stat -json -top \(top)"
        if longestPath { script += "; tee -q -o ltp.txt ltp -noff" }
        guard let cacheDirectory else {
            return try run(yosys, script: script, sources, top: top, flow: flow, longestPath: longestPath)
        }
        var hasher = SHA256()
        for field in [Self.resultFormat, try Self.version(yosys), script] + sources.flatMap({ [$0.fileName, $0.text] }) {
            hasher.update(field)
            hasher.update([0])
        }
        let store = try CacheStore(root: cacheDirectory)
        let resultName = "statistics.json"
        let (entry, outcome) = try store.entry(kind: "yosys", key: String(hasher.finalizeHex().prefix(32))) { staging in
            let statistics = try run(yosys, script: script, sources, top: top, flow: flow, longestPath: longestPath)
            try JSONEncoder().encode(statistics).write(to: staging.appendingPathComponent(resultName))
        }
        // An entry this build cannot read (written by another layout) is not worth failing for.
        guard var statistics = try? JSONDecoder().decode(SynthesisStatistics.self,
                                                         from: Data(contentsOf: entry.appendingPathComponent(resultName))) else {
            return try run(yosys, script: script, sources, top: top, flow: flow, longestPath: longestPath)
        }
        statistics.fromCache = outcome == .hit
        return statistics
    }

    /// Part of the cache key: bump it when the way results are read back or stored changes, so
    /// that entries of the old reading are not served.
    static let resultFormat = "SynthesisStatistics v1"

    /// `yosys -V`: part of the cache key (another Yosys maps differently).
    public static func version(_ yosys: String) throws -> String {
        let result = try ProcessRunner.run(executable: yosys, ["-V"], in: FileManager.default.temporaryDirectory)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// One Yosys process over `sources` in a scratch directory.
    private func run(_ yosys: String, script: String, _ sources: [VerilogSource], top: String, flow: SynthesisFlow,
                     longestPath: Bool) throws -> SynthesisStatistics {
        try withScratchDirectory("yosys-\(top)") { directory in
            for source in sources {
                try source.text.write(to: directory.appendingPathComponent(source.fileName), atomically: true, encoding: .utf8)
            }
            let result = try ProcessRunner.run(executable: yosys, ["-q", "-p", script], in: directory)
            guard result.succeeded else {
                throw CosimError.buildFailed("yosys \(flow == .generic ? "synth" : "synth_xilinx") of \(top): \((result.stderr + result.stdout).suffix(2000))")
            }
            let statText = try String(contentsOf: directory.appendingPathComponent("stat.json"), encoding: .utf8)
            let stat = try JSONSerialization.jsonObject(with: Data(Self.repairedStatJSON(statText).utf8))
            // The design totals cover the hierarchy; a design without submodules may have only the module.
            let root = stat as? [String: Any]
            guard let totals = (root?["design"] ?? (root?["modules"] as? [String: Any])?["\\" + top]) as? [String: Any],
                  let cells = totals["num_cells"] as? Int else {
                throw CosimError.buildFailed("yosys stat -json has no cell count for \(top)")
            }
            var depth: Int?
            if longestPath {
                // "Longest topological path in <module> (length=N):", one line per module.
                let text = try String(contentsOf: directory.appendingPathComponent("ltp.txt"), encoding: .utf8)
                depth = text.components(separatedBy: "(length=").dropFirst().compactMap { Int($0.prefix(while: \.isNumber)) }.max()
                guard depth != nil else { throw CosimError.buildFailed("yosys ltp -noff printed no path length for \(top)") }
            }
            return SynthesisStatistics(top: top, flow: flow, cells: cells,
                                       cellsByType: totals["num_cells_by_type"] as? [String: Int] ?? [:], longestPath: depth)
        }
    }

    /// Yosys 0.23's `stat -json -top` prints the hierarchy of a design whose submodules instantiate
    /// submodules as plain text lines (`   FPMul_e8f23   10`) inside the JSON document; those
    /// lines never hold a quote, while every line of the JSON proper holds a key or a string, or only
    /// brackets and commas. Dropping them leaves the document Yosys meant.
    public static func repairedStatJSON(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { line in line.contains("\"") || line.allSatisfy { " \t{}[],".contains($0) } }
            .joined(separator: "\n")
    }

    /// Synthesizes an elaborated HDL design (emitted with default options).
    public func synthesize(_ design: Design, flow: SynthesisFlow = .generic, flatten: Bool = false,
                           longestPath: Bool = false, keepMemories: Bool = false) throws -> SynthesisStatistics {
        let files = SystemVerilogEmitter().emit(design)
        return try synthesize(files.map { VerilogSource(fileName: $0.fileName, text: $0.text) }, top: design.top,
                              flow: flow, flatten: flatten, longestPath: longestPath, keepMemories: keepMemories)
    }
}
