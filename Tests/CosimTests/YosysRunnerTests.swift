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
}
