import Foundation
import HDL

/// Runs a vector set on Icarus Verilog: writes the design, the generated testbench and the vector
/// files into a directory, compiles with `iverilog -g2012`, runs `vvp`, and parses the
/// testbench's `MISMATCH` lines and its `N passed, M failed` summary.
public struct IcarusRunner: Sendable {
    public let locator: ToolLocator

    public init(locator: ToolLocator = ToolLocator()) { self.locator = locator }

    /// What a run left behind, besides the report.
    public struct Run: Sendable {
        public let report: CheckReport
        /// Where the design, testbench and vector files were written (kept for reproduction).
        public let directory: URL
        /// Seconds spent in `vvp` (simulation and vector loading).
        public let simulationSeconds: Double
        public let output: String
    }

    /// Writes everything `run` needs into `directory`: sources, testbench, vector files.
    @discardableResult
    public func prepare(_ vectors: TestVectors, in directory: URL, capacity: Int? = nil) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let design = vectors.design
        for source in design.sources {
            try Self.icarusCompatible(source.text).write(to: directory.appendingPathComponent(source.fileName), atomically: true, encoding: .utf8)
        }
        let testbench = directory.appendingPathComponent(IcarusTestbench.fileName(design.topModule))
        try IcarusTestbench.source(for: design, capacity: capacity ?? vectors.count)
            .write(to: testbench, atomically: true, encoding: .utf8)
        try vectors.writeFiles(to: directory)
        return testbench
    }

    /// Compiles and runs; `maxReports` bounds the mismatch lines, `vectorLimit` runs only a
    /// prefix, `vcd` asks the testbench for a waveform.
    public func run(_ vectors: TestVectors, in directory: URL? = nil, maxReports: Int = 10,
                    vectorLimit: Int? = nil, vcd: URL? = nil) throws -> Run {
        let design = vectors.design
        let workDirectory = directory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("normforge-icarus-\(design.topModule)-\(UUID().uuidString)")
        try prepare(vectors, in: workDirectory)
        let compiled = try compile(design, in: workDirectory)
        return try simulate(compiled, vectors: vectors, in: workDirectory, maxReports: maxReports,
                            vectorLimit: vectorLimit, vcd: vcd)
    }

    /// `iverilog -g2012` of the testbench and the design; returns the simulation image.
    public func compile(_ design: VerilogDesign, in directory: URL) throws -> URL {
        let image = directory.appendingPathComponent("\(design.topModule).vvp")
        let result = try ProcessRunner.run(
            .iverilog, ["-g2012", "-o", image.path, IcarusTestbench.fileName(design.topModule)]
                + design.sources.map(\.fileName),
            in: directory, locator: locator)
        guard result.succeeded else {
            throw CosimError.buildFailed("iverilog rejected \(design.topModule):\n" + result.stderr + result.stdout)
        }
        return image
    }

    /// Runs a compiled image on the vector files in `directory`.
    public func simulate(_ image: URL, vectors: TestVectors, in directory: URL, maxReports: Int = 10,
                         vectorLimit: Int? = nil, vcd: URL? = nil) throws -> Run {
        var arguments = [image.path, "+max_reports=\(maxReports)"]
        if let vectorLimit { arguments.append("+vectors=\(vectorLimit)") }
        if let vcd { arguments.append("+vcd=\(vcd.path)") }
        let result = try ProcessRunner.run(.vvp, arguments, in: directory, locator: locator)
        guard result.succeeded else { throw ProcessFailed(result: result) }
        let report = try Self.parse(result.stdout, vectors: vectors)
        return Run(report: report, directory: directory, simulationSeconds: result.seconds, output: result.stdout)
    }

    /// Reads the testbench's output back into a report.
    static func parse(_ output: String, vectors: TestVectors) throws -> CheckReport {
        var mismatches: [Mismatch] = []
        var summary: (Int, Int)?
        for line in output.split(separator: "\n") {
            if line.hasPrefix("MISMATCH ") {
                var fields: [Substring: Substring] = [:]
                for pair in line.dropFirst(9).split(separator: " ") {
                    if let equals = pair.firstIndex(of: "=") { fields[pair[..<equals]] = pair[pair.index(after: equals)...] }
                }
                guard let vector = fields["vector"].flatMap({ Int($0) }), let cycle = fields["cycle"].flatMap({ Int($0) }),
                      let portName = fields["port"], let port = vectors.outputs.first(where: { $0.name == portName }),
                      let expectedText = fields["expected"], let expected = BitVector(hex: String(expectedText), width: port.width),
                      let actual = fields["actual"] else {
                    throw CosimError.simulationError("unreadable testbench line: \(line)")
                }
                mismatches.append(Mismatch(vector: vector, cycle: cycle, port: port, expected: expected,
                                           actualText: String(actual)))
            } else if line.hasSuffix(" failed"), line.contains(" passed, ") {
                let numbers = line.split(separator: " ").compactMap { Int($0) }
                if numbers.count == 2 { summary = (numbers[0], numbers[1]) }
            }
        }
        guard let (passed, failed) = summary else {
            throw CosimError.simulationError("the Icarus testbench of \(vectors.design.topModule) ended without a summary:\n\(output)")
        }
        return CheckReport(backend: "icarus", design: vectors.design.topModule, passed: passed, failed: failed,
                           mismatches: mismatches)
    }

    /// `always_comb` as `always @*`, plus an `initial #0` copy of the body: Icarus 11.0 can
    /// re-run an always_comb process that reads what it writes forever at time 0 (iverilog issue
    /// #508, fixed after 11.0; found here by `normforge fuzz dsl`, seed 1 designs 0 and 7).
    /// `always @*` alone misses values settled at time 0 before it first waits (a block of
    /// constants never runs: the fuzzer's seed 7 design 15); the `#0` copy runs once after them,
    /// as always_comb's time-0 evaluation does, and `always @*` follows every later change.
    static func icarusCompatible(_ text: String) -> String {
        var lines = text.components(separatedBy: "\n")
        var i = 0
        while i < lines.count {
            let header = lines[i]
            guard header.trimmingCharacters(in: .whitespaces) == "always_comb begin" else { i += 1; continue }
            let indent = header.prefix { $0 == " " }
            guard let end = lines[(i + 1)...].firstIndex(where: { $0 == indent + "end" }) else { break }
            let body = Array(lines[(i + 1)..<end])
            lines[i] = indent + "always @* begin"
            lines.insert(contentsOf: [indent + "initial #0 begin"] + body + [indent + "end"], at: end + 1)
            i = end + body.count + 3
        }
        return lines.joined(separator: "\n")
    }
}
