import Foundation
import Cosim
import HDL
import HDLExamples
import Testing

@Suite struct YosysRunnerTests {
    /// The two-stage multiply-add: generic cells with a path through the multiplier, then the
    /// Xilinx mapping puts the multiplier in a DSP.
    @Test func countsCellsAndLongestPath() throws {
        let design = try Design(top: Examples.multiplyAdd(width: 8))
        let generic = try YosysRunner().synthesize(design, longestPath: true)
        #expect(generic.top == design.top && generic.flow == .generic)
        #expect(generic.cells > 20)
        #expect(generic.cells(prefix: "$_DFF") > 0)
        #expect((generic.longestPath ?? 0) > 5)
        let xilinx = try YosysRunner().synthesize(design, flow: .xilinx)
        #expect(xilinx.cells(prefix: "DSP48") == 1)
        #expect(xilinx.longestPath == nil)
    }

    /// Kept hierarchical, every instance's cells count (flattening may then optimize across them).
    @Test func hierarchyCountsEveryInstance() throws {
        let source = VerilogSource(fileName: "Twice.sv", text: """
            module Adder(input logic [7:0] a, input logic [7:0] b, output logic [7:0] y); assign y = a + b; endmodule
            module Twice(input logic [7:0] a, input logic [7:0] b, input logic [7:0] c, output logic [7:0] y);
                logic [7:0] t;
                Adder first(.a(a), .b(b), .y(t));
                Adder second(.a(t), .b(c), .y(y));
            endmodule

            """)
        let runner = YosysRunner()
        let hierarchical = try runner.synthesize([source], top: "Twice", longestPath: true)
        let flat = try runner.synthesize([source], top: "Twice", flatten: true, longestPath: true)
        let one = try runner.synthesize([source], top: "Adder", longestPath: true)
        #expect(hierarchical.cells == 2 * one.cells)
        #expect(flat.cells > one.cells && flat.cells <= hierarchical.cells)
        #expect(hierarchical.longestPath == one.longestPath)
        #expect((flat.longestPath ?? 0) > (one.longestPath ?? 0))
    }

    /// Yosys 0.23 prints a nested hierarchy as text lines inside `stat -json -top`'s document
    /// (the range-BN unit's reciprocal instantiates multipliers): the runner still counts it.
    @Test func nestedHierarchyCountsEveryLevel() throws {
        let source = VerilogSource(fileName: "Nested.sv", text: """
            module Leaf(input logic [7:0] a, input logic [7:0] b, output logic [7:0] y); assign y = a + b; endmodule
            module Mid(input logic [7:0] a, input logic [7:0] b, output logic [7:0] y);
                logic [7:0] t;
                Leaf first(.a(a), .b(b), .y(t));
                Leaf second(.a(t), .b(b), .y(y));
            endmodule
            module Nested(input logic [7:0] a, input logic [7:0] b, output logic [7:0] y);
                logic [7:0] t;
                Mid left(.a(a), .b(b), .y(t));
                Mid right(.a(t), .b(b), .y(y));
            endmodule

            """)
        let runner = YosysRunner()
        let nested = try runner.synthesize([source], top: "Nested")
        let leaf = try runner.synthesize([source], top: "Leaf")
        #expect(nested.cells == 4 * leaf.cells)
        let yosysText = """
            {
               "modules": {
                  "\\Mid": {
                     "num_cells": 2
                  }
               },
                   Mid             2
                     Leaf          4
               "design": {
                  "num_cells": 24
               }
            }
            """
        let repaired = YosysRunner.repairedStatJSON(yosysText)
        #expect(!repaired.contains("Leaf"))
        #expect(repaired.contains("\"design\""))
    }

    @Test func missingYosysAndRejectedVerilogAreClearErrors() throws {
        let design = try Design(top: Examples.counter(width: 4))
        #expect {
            try YosysRunner(locator: ToolLocator(searchPath: ["/nonexistent-dir"])).synthesize(design)
        } throws: { "\($0)".contains("yosys not found on PATH; run `make setup`") }
        let broken = VerilogSource(fileName: "Broken.sv", text: "module Broken(input logic a; endmodule\n")
        #expect {
            try YosysRunner().synthesize([broken], top: "Broken")
        } throws: { "\($0)".contains("yosys synth of Broken") }
    }

    /// A cached runner synthesizes a (version, script, sources) once: the second request is served
    /// from the cache with the same figures; changed sources or another flow miss.
    @Test func cacheServesUnchangedSources() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("normforge-yosys-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let runner = YosysRunner(cacheDirectory: directory)
        let adder = VerilogSource(fileName: "Add.sv", text: "module Add(input logic [7:0] a, input logic [7:0] b, output logic [8:0] y); assign y = a + b; endmodule\n")
        let first = try runner.synthesize([adder], top: "Add", longestPath: true)
        let second = try runner.synthesize([adder], top: "Add", longestPath: true)
        #expect(!first.fromCache && second.fromCache)
        #expect(second == first)
        let wider = VerilogSource(fileName: "Add.sv", text: adder.text.replacingOccurrences(of: "[7:0]", with: "[15:0]"))
        let changed = try runner.synthesize([wider], top: "Add", longestPath: true)
        #expect(!changed.fromCache && changed.cells > first.cells)
        #expect(!(try runner.synthesize([adder], top: "Add", flow: .xilinx)).fromCache)
    }

    /// With `keepMemories` the generic flow leaves an inferred RAM as one `$mem_v2` cell instead
    /// of flip-flops; the Xilinx flow maps it to RAM primitives either way.
    @Test func keptMemoriesStayMemoryCells() throws {
        let design = try Design(top: Examples.ram(depth: 64, width: 16))
        #expect(design.memoryBits == 64 * 16)
        let runner = YosysRunner()
        let kept = try runner.synthesize(design, longestPath: true, keepMemories: true)
        let mapped = try runner.synthesize(design, longestPath: true)
        #expect(kept.cells(prefix: "$mem") == 1 && mapped.cells(prefix: "$mem") == 0)
        #expect(mapped.cells(prefix: "$_DFF") >= 64 * 16 && kept.cells(prefix: "$_DFF") < 64)
    }
}
