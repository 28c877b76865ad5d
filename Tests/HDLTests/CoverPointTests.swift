import Cosim
import Foundation
import HDL
import Testing

/// `Cover`: a functional coverage point. Plain tools see a wire nobody reads (lint-clean, Icarus,
/// Yosys); Verilator with `NORMFORGE_COVER` counts the cycles it held, exactly.
@Suite(.serialized) struct CoverPointTests {
    static let file = "CoverPointTests.swift"

    /// A 4-bit counter with points on its wrap and on odd values while enabled.
    static func counter() -> Module {
        Module("CoveredCounter") {
            let enable = Input("enable", .bool)
            let count = Output("count", .uint(4))
            let value = Reg("value", .uint(4), reset: 0)
            When(enable) { value <== value &+ 1 }
            count <== value
            Cover("wrap", enable && value == 15)
            Cover("odd_enabled", enable && value[0])
            Cover("never", value == 3 && value == 4)
        }
    }

    @Test func emitsAWireAndAnIfdefCoverBlock() throws {
        let files = SystemVerilogEmitter().emit(try Design(top: Self.counter()))
        let text = try #require(files.last?.text)
        #expect(text.contains("    /* verilator lint_off UNUSEDSIGNAL */\n    logic cover_wrap;\n    logic cover_odd_enabled;\n    logic cover_never;\n    /* verilator lint_on UNUSEDSIGNAL */\n"))
        #expect(text.contains("`ifdef NORMFORGE_COVER\n    always_ff @(posedge clk) begin\n        cover_wrap_hit: cover (cover_wrap);\n"))
        #expect(text.hasSuffix("    end\n`endif\nendmodule\n"))
        try ToolCheck.lint(files, top: "CoveredCounter")
        try ToolCheck.icarus(files, top: "CoveredCounter")
        try ToolCheck.synthesize(files, top: "CoveredCounter")
        // With the cover points enabled, still -Wall clean.
        let dir = try ToolCheck.write(files)
        defer { try? FileManager.default.removeItem(at: dir) }
        try ProcessRunner.check(.verilator, ["--lint-only", "-Wall", "+define+NORMFORGE_COVER", "CoveredCounter.sv"], in: dir)
    }

    /// The counts Verilator writes equal the cycles each condition held (simulated here).
    @Test func verilatorCountsEachCycleTheConditionHeld() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("normforge-cover-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        let design = try VerilogDesign(Design(top: Self.counter()))
        let tb = try Testbench(design, backend: .verilator,
                               options: TestbenchOptions(coverageFile: data.appendingPathComponent("coverage.dat")))
        try tb.reset()
        var wraps: UInt64 = 0, odd: UInt64 = 0, value = 0
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let enable = Bool.random(using: &rng)
            try tb.poke("enable", enable ? 1 : 0)
            if enable && value == 15 { wraps += 1 }
            if enable && value % 2 == 1 { odd += 1 }
            try tb.step()
            if enable { value = (value + 1) % 16 }
        }
        try tb.expect("count", UInt64(value))
        _ = try tb.finish()
        let report = try CoverageReport.render(data: data.appendingPathComponent("coverage.dat"), sources: design.sources)
        let hits = Dictionary(uniqueKeysWithValues: report.points.map { ($0.name, $0.hits) })
        #expect(hits == ["wrap": wraps, "odd_enabled": odd, "never": 0])
        #expect(report.missed == ["CoveredCounter.never"])
        #expect(report.kinds.contains { $0.kind == "user" && $0.points == 3 && $0.hit == 2 })
        #expect(report.kinds.contains { $0.kind == "toggle" && $0.hit > 0 })
        let info = try String(contentsOfFile: try #require(report.lcovInfo), encoding: .utf8)
        #expect(info.contains("SF:CoveredCounter.sv"))
        if let html = report.html { #expect(FileManager.default.fileExists(atPath: html)) }
    }

    /// A helper that declares points can run twice in one module: the second gets a suffix.
    @Test func aRepeatedNameGetsASuffix() throws {
        func helper(_ a: Signal) { Cover("odd", a[0]) }
        let module = Module("TwoHelpers") {
            let a = Input("a", .uint(4))
            let y = Output("y", .uint(4))
            y <== a
            helper(a)
            helper(a &+ 1)
        }
        let design = try Design(top: module)
        #expect(design.topModule.coverPoints.map(\.name) == ["odd", "odd_1"])
        let files = SystemVerilogEmitter().emit(design)
        #expect(files.last?.text.contains("cover_odd_1_hit: cover (cover_odd_1);") == true)
        try ToolCheck.lint(files, top: "TwoHelpers")
    }

    @Test func conditionsMustBeOneBitAndInTheModuleBody() {
        let base = #line
        let module = Module("BadCover") {
            let a = Input("a", .uint(4))
            let y = Output("y", .uint(4))
            y <== a
            Cover("wide", a)
            When(a == 1) {
                Cover("nested", a == 2)
            }
        }
        let at = { (offset: Int, message: String) in "\(Self.file):\(base + offset): error: \(message)" }
        #expect(diagnostics(module) == [
            at(5, "cover point 'wide': the condition must be 1 bit, got 4-bit unsigned"),
            at(7, "cover point 'nested' inside When/Switch: declare it in the module body and put the branch condition in its expression"),
        ])
    }
}
