import Circuits
import Cosim
import Foundation
import Golden
import HDL
import Testing

/// compare, maximum and minimum of one format on shared operands.
private func orderBench(_ units: FloatUnits) throws -> Module {
    let modules = [("cmp", try units.compareModule()), ("max", try units.maximumModule()),
                   ("min", try units.minimumModule())]
    return Module("FPOrderBench_\(units.tag)") {
        let a = Input("a", .bits(units.width)), b = Input("b", .bits(units.width))
        for (name, module) in modules {
            let unit = Instance(module, name)
            unit.a <== a
            unit.b <== b
            unit.valid_in <== 1
            for port in module.ports.map({ module[signal: $0] }) where port.kind == .output && port.name != "valid_out" {
                let output = Output("o_\(name)_\(port.name)", port.type)
                output <== unit[port.name]
            }
        }
    }
}

private func checkOrder(_ format: FloatFormat, pairs: some Sequence<(UInt64, UInt64)>) throws -> MismatchLog {
    let model = try FPSimulation.model(orderBench(FloatUnits(format)))
    let a = try model.port("a"), b = try model.port("b")
    let flags = try ["lt", "eq", "gt", "unordered"].map { try model.port("o_cmp_\($0)") }
    let maxY = try model.port("o_max_y"), minY = try model.port("o_min_y")
    let orders: [FloatOrder] = [.less, .equal, .greater, .unordered]
    var log = MismatchLog()
    for (x, y) in pairs {
        a.write(x)
        b.write(y)
        model.eval()
        let order = format.compare(x, y)
        for (index, flag) in flags.enumerated() {
            log.check(flag.read(), order == orders[index] ? 1 : 0, "compare(\(decode(x, format)), \(decode(y, format))) is \(order)")
        }
        let maxWant = format.maximum(x, y), minWant = format.minimum(x, y)
        log.check(maxY.read(), maxWant, "maximum(\(decode(x, format)), \(decode(y, format))): got \(decode(maxY.read(), format))")
        log.check(minY.read(), minWant, "minimum(\(decode(x, format)), \(decode(y, format))): got \(decode(minY.read(), format))")
    }
    try model.checkError()
    return log
}

@Suite struct FPOrderTests {
    @Test(arguments: [FloatFormat.fp32, .fp16, .bf16])
    func edgeAndMillionRandomPairsMatchGolden(format: FloatFormat) throws {
        let edges = FPOperandGenerator.edgeValues(format)
        var generator = FPOperandGenerator(format, seed: 0x0BDE + UInt64(format.width))
        let random = (0..<1_000_000).map { _ -> (UInt64, UInt64) in
            let x = generator.next()
            // Equal and nearly equal operands are the interesting ones for an order.
            switch generator.random.next() % 4 {
            case 0: return (x, x)
            case 1: return (x, x ^ format.signMask)
            default: return (x, generator.next(relatedTo: x))
            }
        }
        let log = try checkOrder(format, pairs: edges.flatMap { x in edges.map { (x, $0) } } + random)
        #expect(log.count == 0, "\(format): \(log.report)")
    }
}
