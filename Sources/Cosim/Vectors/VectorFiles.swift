import Foundation
import HDL

/// The two `$readmemh` files of a vector set, as the Icarus testbench reads them.
///
/// Stimulus: one line per vector, `CYCLES IN1 IN2 ...` in hex (inputs in port order, clock
/// excluded). Expected: one line per vector, `OUT1 OUT2 ...` in hex, a port written as all `x`
/// digits is not checked. `//` lines name the columns.
public struct VectorFiles: Sendable {
    public let stimulus: URL
    public let expected: URL

    /// File names used by default for a design: `Top.stimulus.hex`, `Top.expected.hex`.
    public static func defaultNames(_ top: String) -> (stimulus: String, expected: String) {
        ("\(top).stimulus.hex", "\(top).expected.hex")
    }
}

extension TestVectors {
    /// The stimulus file's text.
    public func stimulusText() -> String {
        var text = "// \(design.topModule) stimulus: cycles " + inputs.map(\.name).joined(separator: " ") + "\n"
        text.reserveCapacity(text.utf8.count + vectors.count * (8 + inputs.reduce(0) { $0 + $1.width / 4 + 2 }))
        for vector in vectors {
            text += String(vector.cycles, radix: 16)
            for value in vector.inputs {
                text += " "
                text += value.hexDigits
            }
            text += "\n"
        }
        return text
    }

    /// The expected-output file's text.
    public func expectedText() -> String {
        let dontCare = outputs.map { String(repeating: "x", count: ($0.width + 3) / 4) }
        var text = "// \(design.topModule) expected: " + outputs.map(\.name).joined(separator: " ")
            + " (all x = not checked)\n"
        for vector in vectors {
            for (index, value) in vector.expected.enumerated() {
                if index > 0 { text += " " }
                text += value?.hexDigits ?? dontCare[index]
            }
            text += "\n"
        }
        return text
    }

    /// Writes both files into `directory` under the default names.
    @discardableResult
    public func writeFiles(to directory: URL) throws -> VectorFiles {
        let names = VectorFiles.defaultNames(design.topModule)
        let files = VectorFiles(stimulus: directory.appendingPathComponent(names.stimulus),
                                expected: directory.appendingPathComponent(names.expected))
        try stimulusText().write(to: files.stimulus, atomically: true, encoding: .utf8)
        try expectedText().write(to: files.expected, atomically: true, encoding: .utf8)
        return files
    }
}
