import Circuits
import Cosim
import HDL

/// A Cosim `Testbench` (IR simulator, Verilator or Icarus) behind the BFP driver's simulator
/// protocol. Reads go through `observe`, so on Icarus every value the driver compared is also
/// checked in the replay that `finish()` runs.
final class BFPTestbenchSimulator: BFPSimulator {
    let testbench: Testbench
    private let widths: [String: Int]
    var backendName: String { testbench.backend.rawValue }

    init(_ design: Design, backend: SimulationBackend) throws {
        testbench = try Testbench(design, backend: backend)
        widths = Dictionary(uniqueKeysWithValues: testbench.design.ports.map { ($0.name, $0.width) })
    }

    func write(_ port: String, _ words: [UInt64]) throws {
        try testbench.poke(port, BitVector(words: words, width: widths[port] ?? 1))
    }

    func read(_ port: String) throws -> [UInt64] { try testbench.observe(port).words }

    func step() throws { try testbench.step() }
}
