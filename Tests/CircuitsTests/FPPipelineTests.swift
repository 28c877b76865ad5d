import Circuits
import Cosim
import Foundation
import Golden
import HDL
import Testing

/// A bench holding the add and mul modules of one format and pipeline depth on shared
/// operands, enable and valid: one Verilator build checks both.
private func pipelineBench(_ units: FloatUnits, stages: Int) throws -> Module {
    let modules = [("add", try units.addModule(stages: stages)), ("mul", try units.mulModule(stages: stages))]
    return Module("FPPipelineBench_\(units.tag)_s\(stages)") {
        let a = Input("a", .bits(units.width)), b = Input("b", .bits(units.width))
        let enable = Input("en", .bool), validIn = Input("valid_in", .bool)
        for (name, module) in modules {
            let unit = Instance(module, name)
            let y = Output("y_\(name)", .bits(units.width))
            let validOut = Output("valid_\(name)", .bool)
            unit.a <== a
            unit.b <== b
            unit.en <== enable
            unit.valid_in <== validIn
            y <== unit.y
            validOut <== unit.valid_out
        }
    }
}

/// Runs the pipelined add and mul with random stalls (`en`) and bubbles (`valid_in`) against a
/// reference pipeline that shifts only in enabled cycles.
private func checkPipelined(_ format: FloatFormat, stages: Int, count: Int) throws -> MismatchLog {
    let model = try FPSimulation.model(pipelineBench(FloatUnits(format), stages: stages))
    let a = try model.port("a"), b = try model.port("b")
    let ys = [try model.port("y_add"), try model.port("y_mul")]
    let valids = [try model.port("valid_add"), try model.port("valid_mul")]
    let validIn = try model.port("valid_in"), enable = try model.port("en"), reset = try model.port("rst")
    reset.write(1)
    enable.write(1)
    model.step(2)
    reset.write(0)
    var generator = FPOperandGenerator(format, seed: 0x5EED + UInt64(stages))
    var slots = [(add: UInt64, mul: UInt64, valid: Bool)](repeating: (0, 0, false), count: stages)
    var log = MismatchLog()
    var validSeen = 0
    for _ in 0..<count {
        let x = generator.next(), z = generator.next(relatedTo: x)
        let valid = generator.random.next() % 4 != 0
        let enabled = generator.random.next() % 5 != 0
        a.write(x); b.write(z); validIn.write(valid ? 1 : 0); enable.write(enabled ? 1 : 0)
        model.step()
        if enabled {
            slots.insert((format.add(x, z), format.mul(x, z), valid), at: 0)
            slots.removeLast()
        }
        let expected = slots[stages - 1]
        for (op, value) in [expected.add, expected.mul].enumerated() {
            log.check(valids[op].read(), expected.valid ? 1 : 0, "valid_out of op \(op)")
            guard expected.valid else { continue }
            let got = ys[op].read()
            log.check(got, value, "op \(op): got \(decode(got, format)), expected \(decode(value, format))")
        }
        if expected.valid { validSeen += 1 }
    }
    try model.checkError()
    #expect(validSeen > count / 2)
    return log
}

@Suite struct FPPipelineTests {
    @Test(arguments: [(FloatFormat.fp32, 1), (.fp32, 2), (.bf16, 3)])
    func pipelinedAddMulMatchGoldenUnderStalls(format: FloatFormat, stages: Int) throws {
        let log = try checkPipelined(format, stages: stages, count: 50_000)
        #expect(log.count == 0, "\(format) s\(stages): \(log.report)")
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

/// Every unit module of a format (combinational, and pipelined when `pipelined`) under one
/// top: a tool checks the whole hierarchy in one run.
private func toolBench(_ units: FloatUnits, pipelined: Bool) throws -> Module {
    let other = try FloatUnits(units.format == .fp32 ? .bf16 : .fp32)
    var modules: [Module] = []
    for stages in pipelined ? [0, 2] : [0] {
        modules += [try units.addModule(stages: stages), try units.subModule(stages: stages),
                    try units.mulModule(stages: stages), try units.scaleBModule(kWidth: 10, stages: stages),
                    try units.convertModule(to: other, stages: stages), try units.maximumModule(stages: stages),
                    try units.minimumModule(stages: stages), try units.compareModule(stages: stages),
                    try units.classifyModule(stages: stages), try units.exponentModule(stages: stages)]
    }
    modules.append(try other.convertModule(to: units))
    if pipelined { modules += [try units.addModule(stages: 1), try units.mulModule(stages: 3)] }
    let moduleList = modules
    return Module("FPToolBench_\(units.tag)\(pipelined ? "_pipelined" : "")") {
        let a = Input("a", .bits(units.width)), b = Input("b", .bits(units.width))
        let c = Input("c", .bits(other.width)), k = Input("k", .sint(10))
        let enable = Input("en", .bool), validIn = Input("valid_in", .bool)
        let drivers = ["b": b, "k": k, "en": enable, "valid_in": validIn]
        for (index, module) in moduleList.enumerated() {
            let unit = Instance(module, "u\(index)")
            for port in module.ports.map({ module[signal: $0] }) where port.name != "clk" && port.name != "rst" {
                if port.kind == .input {
                    unit[port.name] <== port.name == "a" ? (port.type.width == units.width ? a : c) : drivers[port.name]!
                } else {
                    let output = Output("o\(index)_\(port.name)", port.type)
                    output <== unit[port.name]
                }
            }
        }
    }
}

@Suite struct FPToolTests {
    @Test(arguments: [FloatFormat.fp32, .fp16, .bf16])
    func unitsPassLintIcarusYosys(format: FloatFormat) throws {
        // Synthesis is the slow check and registers add nothing to it: combinational units only.
        let units = try FloatUnits(format)
        try FPToolCheck.lintAndIcarus(toolBench(units, pipelined: true))
        try FPToolCheck.synthesize(toolBench(units, pipelined: false))
    }
}
