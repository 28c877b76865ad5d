import Foundation
import Cosim
import Golden

/// Designs and helpers shared by the co-simulation tests.
enum Fixtures {
    /// The repository root, found from this file's path (tests may run from any directory).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The repository's `testbenches/` directory.
    static let testbenches = repositoryRoot.appendingPathComponent("testbenches")

    /// The hand-written pipelined MAC (its source is in the Icarus example under `testbenches/icarus/`).
    static func pipelinedMac() throws -> VerilogDesign {
        try PipelinedMacReference.design(testbenches: testbenches)
    }

    /// The MAC's golden vectors from its reference model.
    static func macVectors(count: Int, seed: UInt64 = 1) throws -> TestVectors {
        try PipelinedMacReference.vectors(for: pipelinedMac(), count: count, seed: seed)
    }

    /// A wide bus in both directions: `q` registers `d`, `n` is its combinational inverse, so a
    /// round trip exercises wide writes and reads on both kinds of path.
    static func widePassthrough(width: Int = 2048, name: String = "WidePassthrough") throws -> VerilogDesign {
        let text = """
        module \(name) (
            input  logic clk,
            input  logic [\(width - 1):0] d,
            output logic [\(width - 1):0] q,
            output logic [\(width - 1):0] n
        );
            always_ff @(posedge clk) q <= d;
            assign n = ~d;
        endmodule

        """
        return try VerilogDesign(
            topModule: name, sources: [VerilogSource(fileName: "\(name).sv", text: text)],
            ports: [.input("clk", width: 1), .input("d", width: width),
                    .output("q", width: width), .output("n", width: width)],
            clock: "clk")
    }

    /// Combinational fp16 negation: y = x with the sign flipped; y is declared as fp16 so
    /// reports decode it.
    static func halfNegate() throws -> VerilogDesign {
        let text = """
        module HalfNegate (input logic [15:0] x, output logic [15:0] y);
            assign y = {~x[15], x[14:0]};
        endmodule

        """
        return try VerilogDesign(
            topModule: "HalfNegate", sources: [VerilogSource(fileName: "HalfNegate.sv", text: text)],
            ports: [.input("x", width: 16, floatFormat: .fp16), .output("y", width: 16, floatFormat: .fp16)])
    }

    /// A fresh empty directory under the system temporary directory.
    static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("normforge-test-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

