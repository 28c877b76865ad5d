import Foundation

/// slang (PyPI `pyslang`, pinned in tools/requirements.txt), the strictest SystemVerilog
/// compiler we can run: parses and elaborates a set of files from their top, as the `slang`
/// executable does. Errors fail; warnings are reported but do not (lint is Verilator -Wall's).
public enum SlangCheck {
    public struct Outcome: Sendable {
        public var accepted: Bool
        /// slang's diagnostics as it prints them (`file:line:col: error: ...`).
        public var diagnostics: String

        /// The errors only, each with the two lines slang prints under it (source and caret).
        public var errors: String {
            let lines = diagnostics.components(separatedBy: "\n")
            return lines.indices.filter { lines[$0].contains(" error: ") || lines[$0].hasPrefix("error: ") }
                .map { lines[$0..<min($0 + 3, lines.count)].joined(separator: "\n") }.joined(separator: "\n")
        }
    }

    /// Compiles `files` (paths) with `top` as the top module (nil: every module no other
    /// instantiates, as slang chooses).
    public static func run(files: [String], top: String?, in directory: URL? = nil) throws -> Outcome {
        let run = try ProcessRunner.run(.python3, ["-c", program] + (top.map { ["--top", $0] } ?? []) + files, in: directory)
        if run.exitCode == 3 { throw SlangUnavailable() }
        guard run.exitCode == 0 || run.exitCode == 1 else {
            throw ProcessFailed(result: run)
        }
        return Outcome(accepted: run.exitCode == 0, diagnostics: run.stderr + run.stdout)
    }

    /// slang's own driver: the same steps and diagnostics as `slang --top TOP FILES`.
    static let program = """
        import sys
        try:
            import pyslang
        except ImportError:
            sys.exit(3)
        driver = pyslang.driver.Driver()
        driver.addStandardArgs()
        if not driver.parseCommandLine(" ".join(["slang"] + sys.argv[1:])) or not driver.processOptions():
            sys.exit(2)
        sys.exit(0 if driver.parseAllSources() and driver.runFullCompilation(quiet=True) else 1)
        """
}

/// pyslang is not installed in the Python on `PATH`.
public struct SlangUnavailable: Error, CustomStringConvertible, Sendable {
    public var description: String { "pyslang not found in the project's Python; run `make setup` (tools/requirements.txt pins it)" }
}
