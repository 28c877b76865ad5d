import Circuits
import Cosim
import Foundation
import Golden
import HDL
import Testing

/// Runs a pipelined binary unit with random stalls (`en`) and bubbles (`valid_in`) against a
/// reference pipeline that shifts only in enabled cycles.
private func checkPipelined(_ module: Module, stages: Int, format: FloatFormat,
                            golden: (UInt64, UInt64) -> UInt64, count: Int) throws -> MismatchLog {
    let model = try FPSimulation.model(module)
    let a = try model.port("a"), b = try model.port("b"), y = try model.port("y")
    let validIn = try model.port("valid_in"), validOut = try model.port("valid_out")
    let enable = try model.port("en"), reset = try model.port("rst")
    reset.write(1)
    enable.write(1)
    model.step(2)
    reset.write(0)
    var generator = FPOperandGenerator(format, seed: 0x5EED + UInt64(stages))
    var slots = [(value: UInt64, valid: Bool)](repeating: (0, false), count: stages)
    var log = MismatchLog()
    var validSeen = 0
    for _ in 0..<count {
        let x = generator.next(), z = generator.next(relatedTo: x)
        let valid = generator.random.next() % 4 != 0
        let enabled = generator.random.next() % 5 != 0
        a.write(x); b.write(z); validIn.write(valid ? 1 : 0); enable.write(enabled ? 1 : 0)
        model.step()
        if enabled {
            slots.insert((golden(x, z), valid), at: 0)
            slots.removeLast()
        }
        let expected = slots[stages - 1]
        log.check(validOut.read(), expected.valid ? 1 : 0, "valid_out")
        if expected.valid {
            validSeen += 1
            let got = y.read()
            log.check(got, expected.value, "got \(decode(got, format)), expected \(decode(expected.value, format))")
        }
    }
    try model.checkError()
    #expect(validSeen > count / 2)
    return log
}

@Suite struct FPPipelineTests {
    @Test(arguments: [1, 2, 3])
    func pipelinedAddMulMatchGoldenUnderStalls(stages: Int) throws {
        for format in [FloatFormat.fp32, .bf16] {
            let units = try FloatUnits(format)
            let add = try checkPipelined(units.addModule(stages: stages), stages: stages, format: format,
                                         golden: { format.add($0, $1) }, count: 20_000)
            #expect(add.count == 0, "add s\(stages) \(format): \(add.report)")
            let mul = try checkPipelined(units.mulModule(stages: stages), stages: stages, format: format,
                                         golden: { format.mul($0, $1) }, count: 20_000)
            #expect(mul.count == 0, "mul s\(stages) \(format): \(mul.report)")
        }
    }

    @Test func moduleNamesEncodeParameters() throws {
        let units = try FloatUnits(.fp32)
        #expect(try units.addModule(stages: 1).name == "FPAdd_e8f23_s1")
        #expect(try units.mulModule(stages: 0).name == "FPMul_e8f23_s0")
        #expect(try FloatUnits(.bf16).subModule(stages: 2).name == "FPSub_e8f7_s2")
    }

    @Test func badParametersAreErrors() throws {
        #expect(throws: FPUnitError.self) { try FloatUnits(.e4m3) }
        #expect(throws: FPUnitError.self) { try FloatUnits(.fp32).addModule(stages: -1) }
        #expect(throws: FPUnitError.self) { try FPPipeline(stages: 2, name: "") }
    }
}

@Suite struct FPToolTests {
    @Test(arguments: [0, 1, 2])
    func addSubMulPassLintIcarusYosys(stages: Int) throws {
        for format in [FloatFormat.fp32, .fp16, .bf16] {
            let units = try FloatUnits(format)
            for module in [try units.addModule(stages: stages), try units.subModule(stages: stages),
                           try units.mulModule(stages: stages)] {
                try FPToolCheck.all(module)
            }
        }
    }
}
