import Cosim
import Foundation
import Silicon

/// Designs and tools the standard-cell tests share.
enum SiliconFixtures {
    static let library: LibertyLibrary = {
        // The tests need the default library installed (`make setup`); fail loudly otherwise.
        try! LibertyLibrary(contentsOf: StandardCellLibrary.defaultLiberty)
    }()

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A checked-in generated unit (one module, combinational).
    static func generated(_ module: String) throws -> VerilogSource {
        let url = repository.appendingPathComponent("generated/\(module).sv")
        return VerilogSource(fileName: "\(module).sv", text: try String(contentsOf: url, encoding: .utf8))
    }

    /// A small sequential design with hierarchy and a memory: a 16 x 8 register file written at
    /// `waddr`, read at `raddr`, whose word a submodule adds into an accumulator.
    static let accumulatorTop = "nf_acc_top"
    static let accumulator: [VerilogSource] = [
        VerilogSource(fileName: "nf_acc_add.sv", text: """
            module nf_acc_add (input logic [11:0] a, input logic [7:0] b, output logic [11:0] y);
              assign y = a + {4'd0, b};
            endmodule

            """),
        VerilogSource(fileName: "nf_acc_top.sv", text: """
            module nf_acc_top (
              input logic clk, input logic rst, input logic we, input logic [3:0] waddr, input logic [7:0] wdata,
              input logic [3:0] raddr, output logic [11:0] acc, output logic [7:0] word);
              logic [7:0] mem [0:15];
              logic [11:0] sum;
              always_ff @(posedge clk) begin
                if (we) mem[waddr] <= wdata;
              end
              always_ff @(posedge clk) begin
                if (rst) word <= 8'd0; else word <= mem[raddr];
              end
              nf_acc_add u_add (.a(acc), .b(word), .y(sum));
              always_ff @(posedge clk) begin
                if (rst) acc <= 12'd0; else acc <= sum;
              end
            endmodule

            """),
    ]

    static var accumulatorDesign: VerilogDesign {
        get throws {
            try VerilogDesign(topModule: accumulatorTop, sources: accumulator, ports: [
                PortDescription("clk", width: 1, .input), PortDescription("rst", width: 1, .input),
                PortDescription("we", width: 1, .input), PortDescription("waddr", width: 4, .input),
                PortDescription("wdata", width: 8, .input), PortDescription("raddr", width: 4, .input),
                PortDescription("acc", width: 12, .output), PortDescription("word", width: 8, .output),
            ], clock: "clk", reset: ResetDescription("rst"))
        }
    }

    /// Drives `cycles` seeded random cycles into `tb` (after a reset) and returns the outputs seen
    /// each cycle; `quiet` holds every data input at zero instead.
    static func run(_ tb: Testbench, cycles: Int, seed: UInt64, quiet: Bool = false) throws -> [[UInt64]] {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return quiet ? 0 : state >> 33
        }
        try tb.poke("rst", 1)
        try tb.step(2)
        try tb.poke("rst", 0)
        var seen: [[UInt64]] = []
        for _ in 0..<cycles {
            try tb.poke("we", next() & 1)
            try tb.poke("waddr", next() & 15)
            try tb.poke("wdata", next() & 255)
            try tb.poke("raddr", next() & 15)
            try tb.step()
            seen.append([try tb.peekUInt64("acc"), try tb.peekUInt64("word")])
        }
        return seen
    }
}
