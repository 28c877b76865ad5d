import Circuits
import Cosim
import HDL

/// Verilator behind the IterNorm co-simulation driver (ports by name, wide ports as words).
final class IterNormVerilatorSimulator: IterNormSimulator {
    let model: VerilatorModel
    private var ports: [String: VerilatorPort] = [:]
    var backendName: String { "verilator" }

    init(_ design: Design) throws {
        let verilog = try VerilogDesign(design)
        model = try VerilatorModel(verilog)
        for port in verilog.ports { ports[port.name] = try model.port(port.name) }
    }

    func write(_ port: String, _ words: [UInt64]) {
        guard let p = ports[port] else { return }
        if p.description.width <= 64 { p.write(words.first ?? 0); return }
        let padded = words + [UInt64](repeating: 0, count: max(0, p.description.wordCount - words.count))
        padded.withUnsafeBufferPointer { p.write(words: $0) }
    }

    func read(_ port: String) -> [UInt64] {
        guard let p = ports[port] else { return [0] }
        if p.description.width <= 64 { return [p.read()] }
        var words = [UInt64](repeating: 0, count: p.description.wordCount)
        words.withUnsafeMutableBufferPointer { p.read(into: $0) }
        return words
    }

    func settle() { model.eval() }
    func step() { model.step() }
}
