import Foundation

/// Runs `body` in a new directory under the temporary directory (`normforge-<name>-<uuid>`),
/// removed afterwards: where Yosys and OpenSTA read and write their files.
public func withScratchDirectory<T>(_ name: String, _ body: (URL) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("normforge-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}
