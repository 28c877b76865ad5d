import Circuits
import Cosim
import HDL

/// Verilator behind the IterNorm co-simulation driver (ports by name, wide ports as words).
final class IterNormVerilatorSimulator: IterNormSimulator {
    let model: VerilatorModel
    private var ports: [String: VerilatorPort] = [:]
    var backendName: String { "verilator" }

    init(_ design: Design) throws {
        let files = SystemVerilogEmitter().emit(design)
        let top = design.topModule
        let descriptions = top.ports.map { id -> PortDescription in
            let s = top[signal: id]
            return s.kind == .input ? .input(s.name, width: s.type.width) : .output(s.name, width: s.type.width)
        }
        let verilog = try VerilogDesign(topModule: design.top,
                                        sources: files.map { VerilogSource(fileName: $0.fileName, text: $0.text) },
                                        ports: descriptions, clock: "clk", reset: ResetDescription("rst"))
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
