import Foundation
import HDL

/// Where `normforge generate` puts its SystemVerilog: one place that creates the directory, writes
/// the FuseSoC core and file list beside the `.sv` files, and turns a file-system failure into bad
/// input (exit 2) rather than a trap.
enum OutputDirectory {
    /// What one `generate` wrote.
    struct Written {
        /// The `.sv` files, dependency order.
        var sources: [String]
        /// `<top>.core` (FuseSoC CAPI2).
        var core: String
        /// `<top>.f` (plain file list).
        var fileList: String
    }

    /// Writes every file of `top`'s design into `path` (created if missing), with `<top>.core` and
    /// `<top>.f` whose description is `description` (the generator's parameters).
    static func write(_ files: [EmittedFile], top: String, description: String, to path: String) throws -> Written {
        let directory = URL(fileURLWithPath: path, isDirectory: true)
        let package = DesignPackage(top: top, files: files, description: description)
        func write(_ text: String, _ name: String) throws -> String {
            let url = directory.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let sources = try files.map { try write($0.text, $0.fileName) }
            return Written(sources: sources, core: try write(package.coreText, package.coreFileName),
                           fileList: try write(package.fileListText, package.fileListName))
        } catch {
            throw BadInput("cannot write to \(path): \(error.localizedDescription)")
        }
    }
}
