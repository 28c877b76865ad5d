import Circuits
import Cosim
import HDL

/// Verilator behind the BFP co-simulation driver's simulator protocol.
final class BFPVerilatorAdapter: BFPSimulator {
    let model: VerilatorModel
    private var ports: [String: VerilatorPort] = [:]
    var backendName: String { "verilator" }

    init(_ design: Design) throws {
        let top = design.topModule
        let description = try VerilogDesign(
            topModule: design.top,
            sources: SystemVerilogEmitter().emit(design).map { VerilogSource(fileName: $0.fileName, text: $0.text) },
            ports: top.ports.map { id in
                let s = top[signal: id]
                return s.kind == .input ? .input(s.name, width: s.type.width) : .output(s.name, width: s.type.width)
            },
            clock: "clk", reset: ResetDescription("rst"))
        model = try VerilatorModel(description)
        for port in description.ports { ports[port.name] = try model.port(port.name) }
    }

    func write(_ port: String, _ words: [UInt64]) {
        words.withUnsafeBufferPointer { ports[port]!.write(words: $0) }
    }

    func read(_ port: String) -> [UInt64] {
        let p = ports[port]!
        var words = [UInt64](repeating: 0, count: (p.description.width + 63) / 64)
        words.withUnsafeMutableBufferPointer { p.read(into: $0) }
        return words
    }

    func step() { model.step(1) }
}
