import Foundation

/// An external tool NormForge drives, found on `PATH`.
public enum ExternalTool: String, Sendable, CaseIterable {
    case verilator, iverilog, vvp, yosys
    case gxx = "g++"
    /// Packs the Verilator runtime archive (binutils, installed with g++).
    case ar
    /// Coverage: Verilator's database to lcov, and lcov's HTML renderer.
    case verilatorCoverage = "verilator_coverage"
    case genhtml
    /// Headless screenshots of HTML reports (Debian's `chromium`).
    case chromium
    /// OpenSTA (Debian's `opensta`): static timing and power of standard-cell netlists.
    case sta
    /// The project environment's Python (`.venv`, first on `PATH`): runs slang through `pyslang`.
    case python3
}

/// The error for a tool that is not installed: a clear message instead of a failed `exec`.
public struct ToolNotFound: Error, CustomStringConvertible, Sendable {
    public let tool: ExternalTool
    public var description: String {
        "\(tool.rawValue) not found on PATH; run `make setup` (installs verilator, iverilog, yosys, opensta, the OSU 0.18 um cells, lcov and chromium)"
    }
}

/// Finds external tools on `PATH` (or in an explicit search path, for tests).
public struct ToolLocator: Sendable {
    public let searchPath: [String]

    public init(searchPath: [String]? = nil) {
        self.searchPath = searchPath
            ?? (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
                .split(separator: ":").map(String.init)
    }

    /// The absolute path of `tool`, or `ToolNotFound`.
    public func path(of tool: ExternalTool) throws -> String {
        for dir in searchPath where !dir.isEmpty {
            let candidate = (dir as NSString).appendingPathComponent(tool.rawValue)
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ToolNotFound(tool: tool)
    }
}
