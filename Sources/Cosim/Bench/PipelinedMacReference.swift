import Foundation
import Golden

/// The hand-written pipelined MAC and its reference model: the design of the co-simulation
/// benchmark, the bridge tests and the checked-in Icarus example, which holds the one copy of its
/// source (`testbenches/icarus/PipelinedMac/PipelinedMac.sv`).
public enum PipelinedMacReference {
    /// Where the design's source sits under `testbenches/`.
    public static let sourcePath = "icarus/PipelinedMac/PipelinedMac.sv"

    /// The design, read from `icarus/PipelinedMac/PipelinedMac.sv` under `testbenches`.
    public static func design(testbenches: URL) throws -> VerilogDesign {
        let url = testbenches.appendingPathComponent(sourcePath)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw CosimError.invalidDesign("PipelinedMac", "cannot read \(url.path)")
        }
        return try VerilogDesign(
            topModule: "PipelinedMac", sources: [VerilogSource(fileName: "PipelinedMac.sv", text: text)],
            ports: [.input("clk", width: 1), .input("rst", width: 1), .input("in_valid", width: 1),
                    .input("a", width: 32), .input("b", width: 32), .input("c", width: 64),
                    .output("out_valid", width: 1), .output("y", width: 64)],
            clock: "clk", reset: ResetDescription("rst"))
    }

    /// Reset for two cycles, then `count` random operations (every third one with `in_valid`
    /// low) and the outputs the reference model expects: the golden vectors of the MAC.
    public static func vectors(for design: VerilogDesign, count: Int, seed: UInt64 = 1) throws -> TestVectors {
        var vectors = TestVectors(design: design)
        try vectors.append(["rst": 1, "in_valid": 0], cycles: 2)
        var random = SplitMix64(seed: seed)
        // The check before a vector's clock edge sees the result of the vector two back.
        var inFlight: [(y: UInt64, valid: Bool)] = [(0, false), (0, false)]
        for index in 0..<count {
            let x = random.next(), c = random.next(), valid = index % 3 != 0
            let (y, outValid) = inFlight.removeFirst()
            try vectors.append(["rst": 0, "in_valid": valid, "a": x & 0xFFFF_FFFF, "b": x >> 32, "c": c],
                               expect: ["y": y, "out_valid": outValid])
            inFlight.append((result(x: x, c: c), valid))
        }
        return vectors
    }

    /// y = a * b + c (mod 2^64) for the operands drawn from one pair of random words: the same
    /// derivation as `pipelined_mac_harness.cpp` (a = low half of `x`, b = high half). Both
    /// draw them from SplitMix64 (`Golden.SplitMix64`, seed 1).
    @inlinable @inline(__always)
    public static func result(x: UInt64, c: UInt64) -> UInt64 { (x & 0xFFFF_FFFF) &* (x >> 32) &+ c }
}
