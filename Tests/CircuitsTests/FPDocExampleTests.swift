import Circuits
import Cosim
import Foundation
import Golden
import HDL
import Testing

/// The examples of docs/fp-units.md, kept compiling, lint-clean and correct.
@Suite struct FPDocExampleTests {
    static func inlineExample() throws -> Module {
        let fp = try FloatUnits(.fp32)
        let a32 = try FloatUnits(fp32e9)
        let addPipe = try FPPipeline(stages: 2, name: "add0")
        let bf16 = try FloatUnits(.bf16)
        return Module("Example") {
            let a = Input("a", .bits(32)), b = Input("b", .bits(32))
            let en = Input("en", .bool)
            let k = Input("k", .sint(10))
            let sum = Output("sum", .bits(32)), prod = Output("prod", .bits(32))
            let scaled = Output("scaled", .bits(32)), narrow = Output("narrow", .bits(16))
            let narrowScaled = Output("narrow_scaled", .bits(16))
            let wide = Output("wide", .bits(33)), big = Output("big", .bits(32))
            let less = Output("less", .bool), nan = Output("nan", .bool)
            let e = Output("e", .sint(fp.exponentWidth))
            sum <== fp.add(a, b, pipeline: addPipe.enabled(by: en))
            prod <== fp.mul(a, b)
            scaled <== fp.scaleB(a, by: k)
            narrowScaled <== fp.scaleB(a, by: k, to: bf16)
            narrow <== fp.convert(a, to: bf16)
            wide <== fp.convert(a, to: a32)
            big <== fp.maximum(a, b)
            less <== fp.compare(a, b).less
            nan <== fp.classify(a).isNaN
            e <== fp.exponent(a)
        }
    }

    static func lanesExample() throws -> Module {
        let fp = try FloatUnits(.fp32)
        let adder = try fp.addModule(stages: 1)
        return Module("Lanes") {
            let x = Input("x", .bits(64 * 32)), z = Input("z", .bits(64 * 32))
            let en = Input("en", .bool), vIn = Input("valid_in", .bool)
            let y = Output("y", .bits(64 * 32)), vOut = Output("valid_out", .bool)
            var sums: [Signal] = []
            var valids: [Signal] = []
            for lane in 0..<64 {
                let u = Instance(adder, "add\(lane)")
                u.a <== x.lane(lane, width: 32)
                u.b <== z.lane(lane, width: 32)
                u.en <== en
                u.valid_in <== vIn
                sums.append(u.y)
                valids.append(u.valid_out)
            }
            y <== packLanes(sums)
            vOut <== valids.dropFirst().reduce(valids[0]) { $0 && $1 }
        }
    }

    @Test func examplesLintAndCompile() throws {
        try FPToolCheck.lintAndIcarus(FPDocExampleTests.inlineExample())
        try FPToolCheck.lintAndIcarus(FPDocExampleTests.lanesExample())
    }

    @Test func inlineExampleComputesGolden() throws {
        let model = try FPSimulation.model(FPDocExampleTests.inlineExample())
        let a = try model.port("a"), b = try model.port("b"), k = try model.port("k"), en = try model.port("en")
        let sum = try model.port("sum"), narrow = try model.port("narrow"), e = try model.port("e")
        let narrowScaled = try model.port("narrow_scaled")
        var generator = FPOperandGenerator(.fp32, seed: 0xD0C)
        var log = MismatchLog()
        en.write(1)
        for _ in 0..<2000 {
            let x = generator.next(), z = generator.next(relatedTo: x)
            a.write(x); b.write(z); k.write(3)
            model.step(2)   // the add has latency 2
            let f = FloatFormat.fp32
            log.check(sum.read(), f.add(x, z), "sum")
            log.check(narrow.read(), f.convert(x, to: .bf16), "narrow")
            // x * 8 is exact in fp32 unless it overflows (then both are infinite): one rounding.
            log.check(narrowScaled.read(), f.convert(f.scaleB(x, 3), to: .bf16), "narrow_scaled")
            log.check(e.read(), UInt64(bitPattern: Int64(f.unbiasedExponent(x) ?? 0)) & 0x1FF, "e")
        }
        #expect(log.checked == 8000)
        #expect(log.count == 0, "\(log.report)")
    }
}
