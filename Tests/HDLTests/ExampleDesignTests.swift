import Foundation
import HDL
import HDLExamples
import Testing

/// Every example design: its emitted SystemVerilog matches the expected file, and the files pass
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

    @Test(arguments: names) func matchesExpectedVerilog(_ name: String) throws {
        let (_, files) = try Self.files(name)
        for file in files { try ExpectedVerilog.check(file) }
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
    /// `Design.memoryBits` counts every memory under the top, once per instance.
    @Test func memoryBitsCountEveryInstance() throws {
        let ram = Examples.ram(depth: 32, width: 8)
        let pair = Module("TwoRAMs") {
            let a = Instance(ram, "a"), b = Instance(ram, "b")
            let write = Input("write", BundleLayout(["enable": .bool, "address": .uint(5), "data": .uint(8)]))
            let readAddress = Input("read_address", .uint(5))
            let qa = Output("qa", .uint(8)), qb = Output("qb", .uint(8))
            for ram in [a, b] {
                ram.write_enable <== write.enable
                ram.write_address <== write.address
                ram.write_data <== write.data
                ram.read_address <== readAddress
            }
            qa <== a.read_data
            qb <== b.read_data
        }
        #expect(try Design(top: ram).memoryBits == 32 * 8)
        #expect(try Design(top: pair).memoryBits == 2 * 32 * 8)
        #expect(try Design(top: Examples.counter()).memoryBits == 0)
    }

    @Test func ramIsInferredAsAMemory() throws {
        let (top, files) = try Self.files("ram")
        let stat = try ToolCheck.run(files, script: "proc; opt; memory -nomap; stat", top: top)
        #expect(stat.contains("$mem"))
    }
}

/// The expected SystemVerilog of the example designs, under `Tests/HDLTests/ExpectedVerilog/`
/// (not "golden": that is the name of the software-model module). Set `NORMFORGE_REGENERATE=1`,
/// as for `generated/`, to rewrite them after an intended change (then review the diff).
enum ExpectedVerilog {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("ExpectedVerilog")

    static func check(_ file: EmittedFile, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(file.fileName)
        if ProcessInfo.processInfo.environment["NORMFORGE_REGENERATE"] == "1" {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try file.text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(file.text == expected, "emitted \(file.fileName) differs from its expected file", sourceLocation: sourceLocation)
    }
}
