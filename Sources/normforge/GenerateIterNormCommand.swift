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

    @Flag(help: "Print what was written as JSON.")
    var json = false

    func run() throws {
        let macro = try parameters.macro()
        let bfpMacro = try bfp.macro(around: macro)
        let files = try bfpMacro?.emit() ?? macro.emit()
        let top = bfpMacro?.topName ?? macro.topName
        let parameterLines = bfpMacro?.parameterLines ?? macro.parameterLines
        let written = try OutputDirectory.write(files, top: top, description: "NormForge IterNorm: "
                                                + parameterLines.joined(separator: ", "), to: out)
        let c = macro.config
        let latency = macro.latency(d: c.dMax) + (bfpMacro?.edgeLatency ?? 0)
        if json {
            // Latency of one d_max vector on an idle macro; elements per cycle is the input port's
            // peak (a beat of P per cycle), the sustained rate depends on d and the slots.
            print(try JSONOutput.text(GeneratedDesign(
                design: top, files: written.sources, core: written.core, fileList: written.fileList,
                latencyCycles: latency, elementsPerCycle: Double(c.lanes), parameters: parameterLines.joined(separator: ", "))))
            return
        }
        if let bfpMacro {
            print("\(bfpMacro.topName): \(files.count) modules written to \(out) "
                  + "(BFP edges add \(bfpMacro.edgeLatency) cycles of latency)")
        } else {
            print("\(macro.topName): \(files.count) modules written to \(out)")
        }
        print("FuseSoC core \(written.core) (normforge:macro:\(top)), file list \(written.fileList)")
    }
}
