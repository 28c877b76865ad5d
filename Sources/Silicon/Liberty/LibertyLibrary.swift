import Cosim
import Foundation

/// A Liberty (`.lib`) standard-cell library: its units and cells, with their functions.
///
/// Everything comes from the file (no cell name is assumed): `nand2` and `inverter` are found by
/// truth table. Timing and power tables are checked for syntax and otherwise skipped.
public struct LibertyLibrary: Sendable, Hashable {
    /// `library (NAME)`.
    public let name: String
    /// The file read, or nil for text.
    public let path: String?
    /// Hex SHA-256 of the file's bytes (of the text's UTF-8 bytes for `init(text:)`).
    public let sha256: String
    /// `time_unit`: "1ns" is 1, "10ps" is 0.01 (1 ns when absent, the Liberty default).
    public let timeUnitNanoseconds: Double
    /// `capacitive_load_unit`: (1,pf) is 1, (1,ff) is 0.001 (1 pF when absent).
    public let capacitanceUnitPicofarads: Double
    /// `leakage_power_unit`: "1nW" is 1e-9 (1 nW when absent).
    public let leakagePowerUnitWatts: Double
    /// `nom_voltage`, in the library's voltage unit.
    public let nominalVoltage: Double?
    /// In file order.
    public let cells: [LibertyCell]

    /// Reads a Liberty file; throws `LibertyError`.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let reason = FileManager.default.fileExists(atPath: url.path) ? "cannot read the file" : "no such file"
            throw LibertyError(path: url.path, line: nil, message: reason)
        }
        var hasher = SHA256()
        data.withUnsafeBytes { hasher.update($0) }
        try self.init(text: String(decoding: data, as: UTF8.self), path: url.path, sha256: hasher.finalizeHex())
    }

    /// Reads Liberty text; `path` only names it in errors. Throws `LibertyError`.
    public init(text: String, path: String? = nil) throws {
        try self.init(text: text, path: path, sha256: SHA256.hex(text))
    }

    private init(text: String, path: String?, sha256: String) throws {
        var parser = try LibertyParser(text: text, path: path)
        let root = try parser.parseFile()
        let reader = LibertyReader(path: path)
        guard root.name == "library" else {
            throw reader.error("the top-level group is '\(root.name)', not 'library'", line: root.line)
        }
        self.name = root.arguments.first ?? ""
        self.path = path
        self.sha256 = sha256
        timeUnitNanoseconds = try reader.unit(root.simple("time_unit"), scales: LibertyReader.timeScales, default: 1)
        leakagePowerUnitWatts = try reader.unit(
            root.simple("leakage_power_unit"), scales: LibertyReader.powerScales, default: 1e-9)
        capacitanceUnitPicofarads = try reader.capacitanceUnit(root.complex("capacitive_load_unit"))
        nominalVoltage = try root.simple("nom_voltage").map { try reader.number($0) }
        cells = try root.groups.filter { $0.name == "cell" }.map { try reader.cell($0) }
        guard !cells.isEmpty else { throw reader.error("library '\(name)' has no cells", line: root.line) }
    }

    /// The cell called `named`.
    public func cell(named: String) -> LibertyCell? { cells.first { $0.name == named } }

    /// The smallest-area usable cell with two inputs and one output computing NAND of both
    /// (by truth table); the first in file order among equals.
    public var nand2: LibertyCell? {
        smallest(inputs: 2) { values in !(values[0] && values[1]) }
    }

    /// The smallest-area usable cell with one input and one output computing NOT.
    public var inverter: LibertyCell? {
        smallest(inputs: 1) { values in !values[0] }
    }

    /// The boundary every analysis shares: ports driven by the smallest inverter and outputs
    /// loaded with four of its inputs (`fanOutOfFourLoad`, in the library's capacitance unit).
    public func portDriver() throws -> (inverter: LibertyCell, fanOutOfFourLoad: Double) {
        guard let inverter, let input = inverter.inputs.first, let capacitance = input.capacitance else {
            throw LibertyError(path: path, line: nil, message: "library \(name) has no inverter with an input capacitance to drive and load ports with")
        }
        return (inverter, 4 * capacitance)
    }

    /// Combinational, not `dont_use`, exactly `inputs` inputs and one plain (not tristate)
    /// output whose function of the inputs matches `truth` on every row.
    private func smallest(inputs count: Int, truth: ([Bool]) -> Bool) -> LibertyCell? {
        let matching = cells.filter { cell in
            guard !cell.isSequential, !cell.dontUse, cell.unmodeledGroups.isEmpty,
                  cell.inputs.count == count, cell.outputs.count == 1,
                  cell.pins.count == count + 1,
                  let output = cell.outputs.first, output.threeState == nil,
                  let function = output.function else { return false }
            let names = cell.inputs.map(\.name)
            guard function.variables.isSubset(of: Set(names)) else { return false }
            return (0..<(1 << count)).allSatisfy { row in
                let bits = (0..<count).map { row >> $0 & 1 == 1 }
                let values = Dictionary(uniqueKeysWithValues: zip(names, bits))
                return function.evaluate(values) == truth(bits)
            }
        }
        return matching.min { $0.area < $1.area }
    }
}
