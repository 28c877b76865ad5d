import Foundation

/// Where NormForge keeps what it builds once and reuses: Verilator models and their runtime,
/// Yosys results. One directory, with one subdirectory per kind of entry.
public enum CacheLocation {
    /// `$NORMFORGE_CACHE`, or `.build/normforge-cache` under the current directory.
    public static var defaultDirectory: URL {
        if let path = ProcessInfo.processInfo.environment["NORMFORGE_CACHE"], !path.isEmpty {
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            .appendingPathComponent(".build/normforge-cache", isDirectory: true)
    }
}
