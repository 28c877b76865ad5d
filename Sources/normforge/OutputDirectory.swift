import Foundation
import HDL

/// Where `normforge generate` puts its SystemVerilog: one place that creates the directory and turns
/// a file-system failure into bad input (exit 2) rather than a trap.
enum OutputDirectory {
    /// Writes every file into `path` (created if missing) and returns the written paths.
    static func write(_ files: [EmittedFile], to path: String) throws -> [String] {
        let directory = URL(fileURLWithPath: path, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return try files.map { file in
                let url = directory.appendingPathComponent(file.fileName)
                try file.text.write(to: url, atomically: true, encoding: .utf8)
                return url.path
            }
        } catch {
            throw BadInput("cannot write to \(path): \(error.localizedDescription)")
        }
    }
}
