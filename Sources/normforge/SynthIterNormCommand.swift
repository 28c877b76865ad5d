import ArgumentParser
import Circuits
import Cosim
import Foundation
import HDL

/// The figures `normforge synth` reports.
struct IterNormSynthFigures: Codable {
    var top: String
    var genericCells: Int
    var longestPathCells: Int
    var multiplierLongestPathCells: Int
    var pathRatio: Double
    var xilinxLUT: Int?
    var xilinxFF: Int?
    var xilinxDSP: Int?
    var xilinxCarry: Int?
}

/// `normforge synth iternorm [parameters] [--json] [--no-xilinx]`.
struct SynthIterNormCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iternorm",
        abstract: "Generic cell count, longest path (ltp -noff) against a single-cycle multiplier, synth_xilinx LUT/FF/DSP.")

    @OptionGroup var parameters: IterNormParameters

    @OptionGroup var bfp: IterNormBFPOptions

    @Flag(inversion: .prefixedNo, help: "Also run synth_xilinx (slow for 64 lanes).")
    var xilinx = true

    @Flag(help: "Print the figures as JSON.")
    var json = false

    func run() throws {
        let macro = try parameters.macro()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("normforge-synth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // With BFP ports the whole top (converters, queues, macro) is synthesized.
        let bfpMacro = try bfp.macro(around: macro)
        let top = bfpMacro?.topName ?? macro.topName
        let files = try bfpMacro?.emit() ?? macro.emit()
        for file in files {
            try file.text.write(to: dir.appendingPathComponent(file.fileName), atomically: true, encoding: .utf8)
        }
        let sources = files.map(\.fileName).joined(separator: " ")
        _ = try yosys("read_verilog -sv \(sources); synth -flatten -top \(top); tee -o stat.json stat -json; tee -o ltp.txt ltp -noff", in: dir)
        let cells = try cellCount(dir.appendingPathComponent("stat.json"), top: top)
        let path = try longestPath(dir.appendingPathComponent("ltp.txt"))
        // Reference: one single-cycle multiplier of the accumulate format, the macro's widest stage.
        let mul = try FloatUnits(macro.config.accumulate).mulModule()
        let mulFile = SystemVerilogEmitter().emit(try Design(top: mul))
        for file in mulFile {
            try file.text.write(to: dir.appendingPathComponent(file.fileName), atomically: true, encoding: .utf8)
        }
        _ = try yosys("read_verilog -sv \(mulFile.map(\.fileName).joined(separator: " ")); synth -flatten -top \(mul.name); tee -o ltp.txt ltp -noff", in: dir)
        let mulPath = try longestPath(dir.appendingPathComponent("ltp.txt"))
        var figures = IterNormSynthFigures(top: top, genericCells: cells, longestPathCells: path,
                                   multiplierLongestPathCells: mulPath,
                                   pathRatio: mulPath > 0 ? Double(path) / Double(mulPath) : 0)
        if xilinx {
            _ = try yosys("read_verilog -sv \(sources); synth_xilinx -flatten -top \(top); tee -o xilinx.txt stat", in: dir)
            let text = try String(contentsOf: dir.appendingPathComponent("xilinx.txt"), encoding: .utf8)
            figures.xilinxLUT = sumCells(text) { $0.hasPrefix("LUT") }
            figures.xilinxFF = sumCells(text) { $0.hasPrefix("FD") }
            figures.xilinxDSP = sumCells(text) { $0.hasPrefix("DSP") }
            figures.xilinxCarry = sumCells(text) { $0.hasPrefix("CARRY") }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(figures), as: UTF8.self))
        } else {
            print("""
                \(figures.top)
                generic cells        \(figures.genericCells)
                longest path         \(figures.longestPathCells) cells (ltp -noff)
                single-cycle mul     \(figures.multiplierLongestPathCells) cells (\(mul.name))
                ratio                \(String(format: "%.2f", figures.pathRatio)) (target <= 1.2)
                """)
            if xilinx {
                print("synth_xilinx         LUT \(figures.xilinxLUT ?? 0)  FF \(figures.xilinxFF ?? 0)  DSP \(figures.xilinxDSP ?? 0)  CARRY4 \(figures.xilinxCarry ?? 0)")
            }
        }
    }

    private func yosys(_ script: String, in dir: URL) throws -> String {
        let result = try ProcessRunner.run(.yosys, ["-q", "-p", script], in: dir)
        guard result.succeeded else { throw CheckFailed("yosys failed: \(result.stderr.prefix(2000))") }
        return result.stdout
    }

    private func cellCount(_ url: URL, top: String) throws -> Int {
        let data = try Data(contentsOf: url)
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let modules = root["modules"] as? [String: Any],
              let module = (modules["\\" + top] ?? modules.values.first) as? [String: Any],
              let count = module["num_cells"] as? Int else {
            throw CheckFailed("cannot read the cell count from yosys stat -json")
        }
        return count
    }

    /// The length in `ltp -noff`'s "Longest topological path in T (length=N)", written with
    /// `tee -o` (yosys -q keeps command output off stdout).
    private func longestPath(_ url: URL) throws -> Int {
        let text = try String(contentsOf: url, encoding: .utf8)
        guard let range = text.range(of: "(length="), let length = Int(text[range.upperBound...].prefix { $0.isNumber }) else {
            throw CheckFailed("cannot read the longest path from yosys ltp")
        }
        return length
    }

    /// The sum of the counts of the cells whose name satisfies `matches` in a `stat` listing.
    private func sumCells(_ text: String, _ matches: (String) -> Bool) -> Int {
        var total = 0
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2, let n = Int(parts[1]) else { continue }
            if matches(String(parts[0])) { total += n }
        }
        return total
    }
}
