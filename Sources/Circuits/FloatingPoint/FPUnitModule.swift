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
                     _ body: @escaping ([Signal], FPPipeline) -> [(String, Signal)]) throws(FPUnitError) -> Module {
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
                      _ op: @escaping (Signal, Signal, FPPipeline) -> Signal) throws(FPUnitError) -> Module {
        let operand = HWType.bits(width)
        return try FPUnitModule.make(moduleName(kind, stages: stages), stages: stages,
                                     inputs: [("a", operand), ("b", operand)]) { ports, pipeline in
            [("y", op(ports[0], ports[1], pipeline))]
        }
    }

    /// `FPAdd_<tag>_s<stages>`: `y = a + b` (see `add`).
    public func addModule(stages: Int = 0) throws(FPUnitError) -> Module {
        try binaryModule("Add", stages: stages) { add($0, $1, pipeline: $2) }
    }

    /// `FPSub_<tag>_s<stages>`: `y = a - b` (see `sub`).
    public func subModule(stages: Int = 0) throws(FPUnitError) -> Module {
        try binaryModule("Sub", stages: stages) { sub($0, $1, pipeline: $2) }
    }

    /// `FPMul_<tag>_s<stages>`: `y = a * b` (see `mul`).
    public func mulModule(stages: Int = 0) throws(FPUnitError) -> Module {
        try binaryModule("Mul", stages: stages) { mul($0, $1, pipeline: $2) }
    }
}

extension FloatUnits {
    /// A one-operand unit module: input `a`, outputs as `op` returns them.
    func unaryModule(_ kind: String, stages: Int, suffix: String = "",
                     _ op: @escaping (Signal, FPPipeline) -> [(String, Signal)]) throws(FPUnitError) -> Module {
        try FPUnitModule.make(moduleName(kind, stages: stages, suffix: suffix), stages: stages,
                              inputs: [("a", .bits(width))]) { ports, pipeline in op(ports[0], pipeline) }
    }

    /// `FPScaleB_<tag>_k<kWidth>_s<stages>`: `y = a * 2^k` with a signed `kWidth`-bit input `k`
    /// (see `scaleB`).
    public func scaleBModule(kWidth: Int, stages: Int = 0) throws(FPUnitError) -> Module {
        guard kWidth >= 2 else { throw FPUnitError("scaleB needs a signed k of at least 2 bits, got \(kWidth)") }
        return try FPUnitModule.make(moduleName("ScaleB", stages: stages, suffix: "_k\(kWidth)"), stages: stages,
                                     inputs: [("a", .bits(width)), ("k", .sint(kWidth))]) { ports, pipeline in
            [("y", scaleB(ports[0], by: ports[1], pipeline: pipeline))]
        }
    }

    /// `FPConvert_<tag>_to_<target tag>_s<stages>`: `y = convert(a)` (see `convert`).
    public func convertModule(to target: FloatUnits, stages: Int = 0) throws(FPUnitError) -> Module {
        try unaryModule("Convert", stages: stages, suffix: "_to_\(target.tag)") { a, pipeline in
            [("y", convert(a, to: target, pipeline: pipeline))]
        }
    }

    /// `FPMax_<tag>_s<stages>`: `y = maximum(a, b)` (see `maximum`).
    public func maximumModule(stages: Int = 0) throws(FPUnitError) -> Module {
        try binaryModule("Max", stages: stages) { maximum($0, $1, pipeline: $2) }
    }

    /// `FPMin_<tag>_s<stages>`: `y = minimum(a, b)` (see `minimum`).
    public func minimumModule(stages: Int = 0) throws(FPUnitError) -> Module {
        try binaryModule("Min", stages: stages) { minimum($0, $1, pipeline: $2) }
    }

    /// `FPCompare_<tag>_s<stages>`: outputs `lt`, `eq`, `gt`, `unordered` (see `compare`).
    public func compareModule(stages: Int = 0) throws(FPUnitError) -> Module {
        let operand = HWType.bits(width)
        return try FPUnitModule.make(moduleName("Compare", stages: stages), stages: stages,
                                     inputs: [("a", operand), ("b", operand)]) { ports, pipeline in
            let order = compare(ports[0], ports[1])
            return [("lt", order.less), ("eq", order.equal), ("gt", order.greater), ("unordered", order.unordered)]
                .map { ($0.0, pipeline.output($0.1, label: "_\($0.0)")) }
        }
    }

    /// `FPClassify_<tag>_s<stages>`: outputs `is_nan`, `is_inf`, `is_zero`, `is_subnormal`,
    /// `is_normal`, `sign`, `is_quiet_nan` (see `classify`).
    public func classifyModule(stages: Int = 0) throws(FPUnitError) -> Module {
        try unaryModule("Classify", stages: stages) { a, pipeline in
            let c = classify(a)
            return [("is_nan", c.isNaN), ("is_inf", c.isInfinite), ("is_zero", c.isZero),
                    ("is_subnormal", c.isSubnormal), ("is_normal", c.isNormal), ("sign", c.sign),
                    ("is_quiet_nan", c.isQuietNaN)]
                .map { ($0.0, pipeline.output($0.1, label: "_\($0.0)")) }
        }
    }

    /// `FPExponent_<tag>_s<stages>`: `y = E(a)`, signed `exponentWidth` bits (see `exponent`),
    /// with `finite_nonzero` (whether `E(a)` is defined) and the `sign` of `a`: the value
    /// decomposed as `sign, 2^y * [1, 2)`.
    public func exponentModule(stages: Int = 0) throws(FPUnitError) -> Module {
        try unaryModule("Exponent", stages: stages) { a, pipeline in
            let c = classify(a)
            return [("y", exponent(a, pipeline: pipeline)),
                    ("finite_nonzero", pipeline.output(c.isNormal || c.isSubnormal, label: "_finite_nonzero")),
                    ("sign", pipeline.output(c.sign, label: "_sign"))]
        }
    }
}
