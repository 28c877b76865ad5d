import Golden
import HDL

/// The shared shape of every standalone FP unit module.
///
/// Ports: the operands (`a`, `b`, ... as the unit needs), the result `y` (plus any extra
/// outputs), `valid_in` and `valid_out` (a valid bit that travels with the data: `valid_out`
/// is `valid_in` delayed by the latency), and with `stages > 0` the clock enable `en` (0 stalls
/// every register) besides the implicit `clk` and `rst` (`rst` clears the valid bits only).
enum FPUnitModule {
    /// Validates `stages` and builds `Module(name)` whose body declares the operands, calls
    /// `body` with the pipeline to use, and wires the valid bit.
    static func make(_ name: String, stages: Int, inputs: [(String, HWType)],
                     _ body: @escaping ([Signal], FPPipeline) -> [(String, Signal)]) throws -> Module {
        guard stages >= 0 else { throw FPUnitError("pipeline stages must be >= 0, got \(stages)") }
        return Module(name) {
            let operands = inputs.map { Input($0.0, $0.1) }
            let validIn = Input("valid_in", .bool)
            let enable = stages > 0 ? Input("en", .bool) : nil
            let pipeline = FPPipeline(validStages: stages, enable: enable, name: "p")
            let results = body(operands, pipeline)
            let outputs = results.map { Output($0.0, $0.1.type) }
            let validOut = Output("valid_out", .bool)
            var valid = validIn
            for level in 0..<stages {
                valid = RegNext("valid_\(level)", valid, reset: 0, enable: enable)
            }
            for (output, result) in zip(outputs, results) {
                output <== result.1
            }
            validOut <== valid
        }
    }
}

extension FloatUnits {
    /// The module name of unit `kind` with `stages` register levels: `FPAdd_e8f23_s1`.
    func moduleName(_ kind: String, stages: Int, suffix: String = "") -> String {
        "FP\(kind)_\(tag)\(suffix)_s\(stages)"
    }

    /// A two-operand unit module: inputs `a`, `b`, output `y`.
    func binaryModule(_ kind: String, stages: Int,
                      _ op: @escaping (Signal, Signal, FPPipeline) -> Signal) throws -> Module {
        let operand = HWType.bits(width)
        return try FPUnitModule.make(moduleName(kind, stages: stages), stages: stages,
                                     inputs: [("a", operand), ("b", operand)]) { ports, pipeline in
            [("y", op(ports[0], ports[1], pipeline))]
        }
    }

    /// `FPAdd_<tag>_s<stages>`: `y = a + b` (see `add`).
    public func addModule(stages: Int = 0) throws -> Module {
        try binaryModule("Add", stages: stages) { add($0, $1, pipeline: $2) }
    }

    /// `FPSub_<tag>_s<stages>`: `y = a - b` (see `sub`).
    public func subModule(stages: Int = 0) throws -> Module {
        try binaryModule("Sub", stages: stages) { sub($0, $1, pipeline: $2) }
    }

    /// `FPMul_<tag>_s<stages>`: `y = a * b` (see `mul`).
    public func mulModule(stages: Int = 0) throws -> Module {
        try binaryModule("Mul", stages: stages) { mul($0, $1, pipeline: $2) }
    }
}
