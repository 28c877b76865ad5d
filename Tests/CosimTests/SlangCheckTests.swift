import Cosim
import Foundation
import Testing

/// slang (pyslang), the strictest SystemVerilog front end we run: every checked-in file compiles
/// with no diagnostic at all, and a broken file is rejected with slang's own message.
@Suite struct SlangCheckTests {
    init() { ProjectTools.activate() }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: ["generated", "Tests/HDLTests/ExpectedVerilog"])
    func checkedInSystemVerilogCompilesCleanly(directory: String) throws {
        let dir = Self.root.appendingPathComponent(directory)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".sv") }.sorted()
        #expect(files.count >= 5)
        let outcome = try SlangCheck.run(files: files, top: nil, in: dir)
        #expect(outcome.accepted, "\(outcome.diagnostics.prefix(3000))")
        #expect(!outcome.diagnostics.contains("warning:"), "\(outcome.diagnostics.prefix(3000))")
    }

    @Test func aBrokenFileIsRejected() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nf-slang-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "module bad(input logic a, output logic y);\n  assign y = a + ;\nendmodule\n"
            .write(to: dir.appendingPathComponent("bad.sv"), atomically: true, encoding: .utf8)
        let outcome = try SlangCheck.run(files: ["bad.sv"], top: "bad", in: dir)
        #expect(!outcome.accepted)
        #expect(outcome.diagnostics.contains("bad.sv:2:") && outcome.diagnostics.contains("error: expected expression"))
    }
}
