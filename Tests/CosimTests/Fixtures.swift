import Foundation
import Cosim

/// Designs and helpers shared by the co-simulation tests.
enum Fixtures {
    /// The repository root, found from this file's path (tests may run from any directory).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The hand-written pipelined MAC under `testbenches/verilator/`.
    static func pipelinedMac() throws -> VerilogDesign {
        let url = repositoryRoot.appendingPathComponent("testbenches/verilator/PipelinedMac.sv")
        return try VerilogDesign(
            topModule: "PipelinedMac",
            sources: [VerilogSource(fileName: "PipelinedMac.sv", text: String(contentsOf: url, encoding: .utf8))],
            ports: [.input("clk", width: 1), .input("rst", width: 1), .input("in_valid", width: 1),
                    .input("a", width: 32), .input("b", width: 32), .input("c", width: 64),
                    .output("out_valid", width: 1), .output("y", width: 64)],
            clock: "clk", reset: ResetDescription("rst"))
    }

    /// A 2048-bit bus in both directions: `q` registers `d`, `n` is its combinational inverse,
    /// so a round trip exercises wide writes and reads on both kinds of path.
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

    /// A fresh empty directory under the system temporary directory.
    static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("normforge-test-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A deterministic 64-bit generator (SplitMix64) so every run drives the same stimulus.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
