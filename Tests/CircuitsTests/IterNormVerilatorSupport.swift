import Circuits
import Cosim
import Foundation
import HDL

/// Verilator behind the IterNorm driver's simulator protocol.
final class VerilatorIterNormSimulator: IterNormSimulator {
    let model: VerilatorModel
    private var ports: [String: VerilatorPort] = [:]
    var backendName: String { "verilator" }

    init(_ design: Design) throws {
        model = try VerilatorModel(try VerilogDesign(design))
        for port in model.design.ports { ports[port.name] = try model.port(port.name) }
    }

    func write(_ port: String, _ words: [UInt64]) {
        guard let p = ports[port] else { return }
        if p.description.width <= 64 { p.write(words.first ?? 0) } else {
            var padded = words
            padded += [UInt64](repeating: 0, count: max(0, p.description.wordCount - words.count))
            padded.withUnsafeBufferPointer { p.write(words: $0) }
        }
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
