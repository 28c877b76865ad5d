import ArgumentParser
import Foundation

/// `normforge generate iternorm [parameters] --out DIR`.
struct GenerateIterNormCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iternorm", abstract: "Generate the IterNorm LayerNorm/RMSNorm macro.")

    @OptionGroup var parameters: IterNormParameters

    @Option(help: "Output directory (created if missing).")
    var out: String

    func run() throws {
        let macro = try parameters.macro()
        let files = try macro.emit()
        let dir = URL(fileURLWithPath: out, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for file in files {
                try file.text.write(to: dir.appendingPathComponent(file.fileName), atomically: true, encoding: .utf8)
            }
        } catch {
            throw BadInput("cannot write to \(out): \(error.localizedDescription)")
        }
        print("\(macro.topName): \(files.count) modules written to \(out)")
    }
}
