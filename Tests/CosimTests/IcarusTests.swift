import Foundation
import Golden
import HDL
import Testing
import Cosim

@Suite struct IcarusTests {
    @Test func macVectorsPassOnIcarusAndVerilator() throws {
        let vectors = try Fixtures.macVectors(count: 300)
        let icarus = try IcarusRunner().run(vectors)
        #expect(icarus.report.failed == 0)
        #expect(icarus.report.passed == 600)
        #expect(icarus.output.contains("600 passed, 0 failed"))
        let verilator = try VectorRunner.run(vectors, on: VerilatorModel(vectors.design))
        #expect(verilator.failed == 0 && verilator.passed == 600)
    }

    /// The checked-in example under `testbenches/icarus/PipelinedMac/` is exactly what the
    /// generator writes today, and runs standalone with nothing but Icarus.
    /// `NORMFORGE_REGENERATE=1` (or `make testbenches`) rewrites it.
    @Test func checkedInExampleIsCurrentAndPasses() throws {
        let example = Fixtures.testbenches.appendingPathComponent("icarus/PipelinedMac")
        let vectors = try Fixtures.macVectors(count: 64)
        let fresh = try Fixtures.temporaryDirectory("icarus-example")
        defer { try? FileManager.default.removeItem(at: fresh) }
        try IcarusRunner().prepare(vectors, in: fresh)
        if ProcessInfo.processInfo.environment["NORMFORGE_REGENERATE"] == "1" {
            try IcarusRunner().prepare(vectors, in: example)
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: fresh.path) {
            let expected = try String(contentsOf: fresh.appendingPathComponent(name), encoding: .utf8)
            let actual = try? String(contentsOf: example.appendingPathComponent(name), encoding: .utf8)
            #expect(actual == expected, "testbenches/icarus/PipelinedMac/\(name) is stale: run `make testbenches`")
        }
        let image = fresh.appendingPathComponent("sim").path
        let compile = try ProcessRunner.run(.iverilog, ["-g2012", "-o", image, "tb_PipelinedMac.sv", "PipelinedMac.sv"],
                                            in: example)
        #expect(compile.succeeded, "\(compile.stderr)")
        let run = try ProcessRunner.run(.vvp, [image], in: example)
        #expect(run.stdout.contains("128 passed, 0 failed"))
    }

    @Test func deliberateMismatchIsReportedAndDecodedOnBothBackends() throws {
        let design = try Fixtures.halfNegate()
        var vectors = TestVectors(design: design)
        let inputs: [UInt16] = [0x3C00, 0x4000, 0x0001, 0x7C00, 0xC500, 0x3555]
        for (index, x) in inputs.enumerated() {
            // Vectors 1, 3 and 5 expect the input unchanged: the design negates, so they fail.
            let expected = index % 2 == 1 ? x : x ^ 0x8000
            try vectors.append(["x": x], expect: ["y": expected])
        }
        let icarus = try IcarusRunner().run(vectors, maxReports: 2).report
        let verilator = try VectorRunner.run(vectors, on: VerilatorModel(design), maxReports: 2)
        for report in [icarus, verilator] {
            #expect(report.passed == 3 && report.failed == 3)
            #expect(report.mismatches.map(\.vector) == [1, 3])
            #expect(report.mismatches.map(\.cycle) == [1, 3])
            let text = report.description
            #expect(text.contains("HalfNegate on \(report.backend): 3 passed, 3 failed"))
            #expect(text.contains("vector 1, cycle 1, port y: expected 0x4000, actual 0xc000"))
            #expect(text.contains("expected sign 0, exponent 0x10 (2^1), fraction 0x000 = 2.0"))
            #expect(text.contains("actual   sign 1, exponent 0x10 (2^1), fraction 0x000 = -2.0"))
            #expect(text.contains("expected sign 0, exponent 0x1f (2^16), fraction 0x000 = +inf"))
            #expect(text.contains("1 more mismatches not shown (first 2 of 3)"))
        }
    }

    @Test func laneBusesAreDecodedLaneByLane() {
        let port = PortDescription.output("lanes", width: 64, floatFormat: .fp16)
        let expected = BitVector(UInt64(0x3C00_3C00_3C00_3C00), width: 64)
        let actual = BitVector(UInt64(0x3C00_3E00_3C00_3C00), width: 64)
        let lines = MismatchFormatter.format(Mismatch(vector: 7, cycle: 9, port: port, expected: expected, actual: actual))
        #expect(lines == [
            "  vector 7, cycle 9, port lanes: expected 0x3c003c003c003c00, actual 0x3c003e003c003c00",
            "      lane 2 expected sign 0, exponent 0x0f (2^0), fraction 0x000 = 1.0",
            "      lane 2 actual   sign 0, exponent 0x0f (2^0), fraction 0x200 = 1.5",
        ])
    }

    @Test func subnormalAndNaNDecode() {
        #expect(MismatchFormatter.decode(0x0001, .fp16)
                == "sign 0, exponent 0x00 (2^-14), fraction 0x001 = 5.960464477539063e-08 (subnormal)")
        #expect(MismatchFormatter.decode(0x7E00, .fp16).hasSuffix("= NaN"))
        #expect(MismatchFormatter.decode(0xFF, .e4m3).hasSuffix("= NaN"))
        #expect(MismatchFormatter.decode(0x7E, .e4m3).hasSuffix("= 448.0"))
    }

    /// Icarus is 4-state: an output that is x after reset (here: never reset) fails the check.
    @Test func unknownOutputIsAFailure() throws {
        let text = """
        module NoReset (input logic clk, input logic [3:0] d, output logic [3:0] q);
            logic [3:0] held;
            always_ff @(posedge clk) held <= held + d;
            assign q = held;
        endmodule

        """
        let design = try VerilogDesign(
            topModule: "NoReset", sources: [VerilogSource(fileName: "NoReset.sv", text: text)],
            ports: [.input("clk", width: 1), .input("d", width: 4), .output("q", width: 4)], clock: "clk")
        var vectors = TestVectors(design: design)
        try vectors.append(["d": 1], expect: ["q": 0])
        let report = try IcarusRunner().run(vectors).report
        #expect(report.failed == 1)
        #expect(report.mismatches.first?.actualText == "x")
        #expect(report.mismatches.first?.actual == nil)
        #expect(report.description.contains("actual 0xx"))
    }

    @Test func vectorsRejectBadPortsAndValues() throws {
        var vectors = TestVectors(design: try Fixtures.pipelinedMac())
        #expect { try vectors.append(["clk": 1]) } throws: { "\($0)".contains("the clock is toggled by the testbench") }
        #expect { try vectors.append(["y": 1]) } throws: { "\($0)".contains("is not a driven input") }
        #expect { try vectors.append(["a": UInt64(1) << 32]) } throws: { "\($0)".contains("does not fit port a (32 bits)") }
        #expect { try vectors.append(["nope": 1]) } throws: { "\($0)".contains("has no port 'nope'") }
        #expect(vectors.count == 0)
    }

    @Test func missingIcarusIsAClearError() throws {
        let vectors = try Fixtures.macVectors(count: 1)
        #expect { try IcarusRunner(locator: ToolLocator(searchPath: ["/nonexistent-dir"])).run(vectors) } throws: {
            "\($0)".contains("iverilog not found on PATH; run `make setup`")
        }
    }
}
