import Circuits
import Cosim
import Foundation
import Golden
import HDL
import Testing

/// A bench that instantiates the standalone add, sub and mul modules on shared operands, so one
/// Verilator build checks all three.
private func arithmeticBench(_ units: FloatUnits) throws -> Module {
    let modules = [("add", try units.addModule()), ("sub", try units.subModule()), ("mul", try units.mulModule())]
    return Module("FPArithmeticBench_\(units.tag)") {
        let a = Input("a", .bits(units.width)), b = Input("b", .bits(units.width))
        for (name, module) in modules {
            let unit = Instance(module, name)
            let y = Output("y_\(name)", .bits(units.width))
            unit.a <== a
            unit.b <== b
            unit.valid_in <== 1
            y <== unit.y
        }
    }
}

/// Drives `pairs` through the bench and checks add, sub and mul against `Golden`.
private func checkArithmetic(_ format: FloatFormat, pairs: some Sequence<(UInt64, UInt64)>) throws -> [MismatchLog] {
    let model = try FPSimulation.model(arithmeticBench(FloatUnits(format)))
    let a = try model.port("a"), b = try model.port("b")
    let outputs = try ["add", "sub", "mul"].map { try model.port("y_\($0)") }
    var logs = [MismatchLog](repeating: MismatchLog(), count: 3)
    for (x, y) in pairs {
        a.write(x)
        b.write(y)
        model.eval()
        let expected = [format.add(x, y), format.sub(x, y), format.mul(x, y)]
        for op in 0..<3 {
            let got = outputs[op].read()
            logs[op].check(got, expected[op], "\(["add", "sub", "mul"][op]) a=\(decode(x, format)) b=\(decode(y, format)): got \(decode(got, format)), expected \(decode(expected[op], format))")
        }
    }
    try model.checkError()
    return logs
}

/// Seeded pairs from the edge-class generator.
private func randomPairs(_ format: FloatFormat, count: Int, seed: UInt64) -> [(UInt64, UInt64)] {
    var generator = FPOperandGenerator(format, seed: seed)
    return (0..<count).map { _ in
        let a = generator.next()
        let b = generator.next(relatedTo: a)
        return generator.random.next() & 1 == 0 ? (a, b) : (b, a)
    }
}

@Suite struct FPArithmeticTests {
    static let formats: [FloatFormat] = [.fp32, .fp16, .bf16]

    @Test(arguments: formats)
    func edgeClassPairsMatchGolden(format: FloatFormat) throws {
        let edges = FPOperandGenerator.edgeValues(format)
        let pairs = edges.flatMap { x in edges.map { (x, $0) } }
        for log in try checkArithmetic(format, pairs: pairs) {
            #expect(log.checked == pairs.count)
            #expect(log.count == 0, "\(log.report)")
        }
    }

    @Test(arguments: formats)
    func millionRandomPairsMatchGolden(format: FloatFormat) throws {
        let pairs = randomPairs(format, count: 1_000_000, seed: 0xADD + UInt64(format.width))
        for log in try checkArithmetic(format, pairs: pairs) {
            #expect(log.checked == 1_000_000)
            #expect(log.count == 0, "\(log.report)")
        }
    }

    /// 1e8 more seeded pairs per format, generated on the fly: minutes, so only with
    /// NORMFORGE_LONG=1 (`make test-long`).
    @Test(.enabled(if: longSweeps), arguments: formats)
    func hundredMillionRandomPairsMatchGolden(format: FloatFormat) throws {
        let count = 100_000_000
        var generator = FPOperandGenerator(format, seed: 0x1096 + UInt64(format.width))
        var produced = 0
        let pairs = AnyIterator { () -> (UInt64, UInt64)? in
            guard produced < count else { return nil }
            produced += 1
            let a = generator.next()
            return (a, generator.next(relatedTo: a))
        }
        for log in try checkArithmetic(format, pairs: pairs) {
            #expect(log.checked == count)
            #expect(log.count == 0, "\(log.report)")
        }
    }
}
