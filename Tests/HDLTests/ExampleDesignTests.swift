import Foundation
import HDL
import HDLExamples
import Testing

/// Every example design: its emitted SystemVerilog matches the golden file, and the files pass
/// Verilator lint, Icarus and Yosys synthesis.
@Suite struct ExampleDesignTests {
    static let examples: [(String, @Sendable () -> Module)] = [
        ("counter", { Examples.counter() }),
        ("multiplyAdd", { Examples.multiplyAdd() }),
        ("sequencer", { Examples.sequencer() }),
        ("ram", { Examples.ram() }),
        ("rippleAdder", { Examples.rippleAdder() }),
        ("adderTree", { Examples.adderTree() }),
    ]

    static var names: [String] { examples.map(\.0) }

    static func files(_ name: String) throws -> (top: String, files: [EmittedFile]) {
        let make = examples.first { $0.0 == name }!.1
        let design = try Design(top: make())
        return (design.top, SystemVerilogEmitter().emit(design))
    }

    @Test(arguments: names) func matchesGoldenFile(_ name: String) throws {
        let (_, files) = try Self.files(name)
        for file in files { try Golden.check(file) }
    }

    @Test(arguments: names) func lintsClean(_ name: String) throws {
        let (top, files) = try Self.files(name)
        try ToolCheck.lint(files, top: top)
    }

    @Test(arguments: names) func compilesWithIcarus(_ name: String) throws {
        let (top, files) = try Self.files(name)
        try ToolCheck.icarus(files, top: top)
    }

    @Test(arguments: names) func synthesizesWithYosys(_ name: String) throws {
        let (top, files) = try Self.files(name)
        try ToolCheck.synthesize(files, top: top)
    }

    /// The RAM example keeps its storage as a Yosys memory (not flip-flops and muxes).
    @Test func ramIsInferredAsAMemory() throws {
        let (top, files) = try Self.files("ram")
        let stat = try ToolCheck.run(files, script: "proc; opt; memory -nomap; stat", top: top)
        #expect(stat.contains("$mem"))
    }
}

/// Golden files of emitted SystemVerilog under `Tests/HDLTests/Golden/`. Set
/// `NORMFORGE_UPDATE_GOLDEN=1` to rewrite them after an intended change (then review the diff).
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func check(_ file: EmittedFile, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(file.fileName)
        if ProcessInfo.processInfo.environment["NORMFORGE_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try file.text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(file.text == expected, "emitted \(file.fileName) differs from its golden file", sourceLocation: sourceLocation)
    }
}
