import ArgumentParser
import Foundation

/// `normforge generate iternorm [parameters] --out DIR`.
struct GenerateIterNormCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iternorm", abstract: "Generate the IterNorm LayerNorm/RMSNorm macro.")

    @OptionGroup var parameters: IterNormParameters

    @OptionGroup var bfp: IterNormBFPOptions

    @Option(help: "Output directory (created if missing).")
    var out: String

    func run() throws {
        let macro = try parameters.macro()
        let bfpMacro = try bfp.macro(around: macro)
        let files = try bfpMacro?.emit() ?? macro.emit()
        _ = try OutputDirectory.write(files, to: out)
        if let bfpMacro {
            print("\(bfpMacro.topName): \(files.count) modules written to \(out) "
                  + "(BFP edges add \(bfpMacro.edgeLatency) cycles of latency)")
        } else {
            print("\(macro.topName): \(files.count) modules written to \(out)")
        }
    }
}
