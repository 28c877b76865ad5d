import Golden
import HDL

/// The range batch-norm unit's reciprocal, 1/d in FP32 with no divider (golden model:
/// `RangeBatchNorm.reciprocal(_:steps:)`): the seed 0.75 * 2^-floor(log2|d|) is exact in every
/// case, so it is wired from the exponent (normal, or one of two subnormal patterns, or infinity
/// when it overflows); then `steps` Newton steps c = c * (2 - d * c) on instances of the FP32
/// unit modules (`FPMul_e8f23`, `FPSub_e8f23`: the shared data-port units).
///
/// Ports: `in_valid`, `d` -> `out_valid`, `r`. Pipelined one FP operation per stage: a seed
/// stage (exponent, leading zeros, special cases), then per Newton step three stages (d * c,
/// 2 - that, c * that), each followed by a register that carries c, d and the special-case result
/// along: latency `latency(steps:)` = 1 + 3 * steps cycles, one value per cycle.
public enum RangeBNReciprocalCircuit {
    /// Cycles from `in_valid`/`d` to `out_valid`/`r`.
    public static func latency(steps: Int) -> Int { 1 + 3 * steps }

    /// The module, named `rangebn_reciprocal_fp32_n<steps>`; throws for steps outside 1...16.
    public static func module(steps: Int) throws -> Module {
        guard (1...16).contains(steps) else { throw RangeBatchNormError("Newton steps must be in 1...16, got \(steps)") }
        let units = RangeBNUnitModules(try FloatUnits(.fp32))
        return Module("rangebn_reciprocal_fp32_n\(steps)") {
            let ops = FPUnitInstances()
            let inValid = Input("in_valid", .bool)
            let d = Input("d", .bits(32))
            let outValid = Output("out_valid", .bool)
            let r = Output("r", .bits(32))
            let operand = NewtonSeedOperand(d)
            let (sign, isNaN, isInfinite, isZero) = (operand.sign, operand.isNaN, operand.isInfinite, operand.isZero)
            let exponent = operand.exponent, ew = NewtonSeedOperand.exponentWidth
            // 0.75 * 2^-E = 1.5 * 2^(-1-E): biased field 126 - E while normal; E = 126 and 127 give
            // the subnormals 0.75 * 2^-126 and 0.375 * 2^-126; E <= -129 overflows.
            let seedField = (Const(126, .sint(ew)) &- exponent).truncate(to: 8).asUnsigned()
            let seedMagnitude = mux(exponent < -128, Const(0x7F80_0000, width: 31),
                                    mux(exponent == 126, Const(0x0060_0000, width: 31),
                                        mux(exponent == 127, Const(0x0030_0000, width: 31),
                                            cat(seedField, Const(0x40_0000, width: 23)))))
            let seed = cat(sign, seedMagnitude)
            let special = mux(isNaN, Const(Int(FloatFormat.fp32.canonicalNaN!), width: 32),
                              mux(isZero, cat(sign, Const(0x7F80_0000, width: 31)),
                                  mux(isInfinite, cat(sign, Const(0, width: 31)), seed)))
            // Seed stage: the seed and the special-case result are registered before the first
            // multiply, so no stage holds the leading-zero count and a multiplier.
            var valid = RegNext("seed_valid", inValid, reset: 0)
            var divisor = RegNext("seed_d", d), c = RegNext("seed_c", seed)
            var useSpecial = RegNext("seed_use_special", isNaN | isZero | isInfinite | (exponent < -128))
            var specialValue = RegNext("seed_special", special)
            for step in 0..<steps {
                // Stage a: d * c; stage b: 2 - d * c; stage c: c * (2 - d * c).
                let product = RegNext("s\(step)a_dc", ops.apply(units.mul, divisor, c))
                let cA = RegNext("s\(step)a_c", c)
                let correction = RegNext("s\(step)b_corr", ops.apply(units.sub, Const(0x4000_0000, width: 32), product))
                let cB = RegNext("s\(step)b_c", cA)
                let next = ops.apply(units.mul, cB, correction)
                for stage in ["a", "b"] {
                    useSpecial = RegNext("s\(step)\(stage)_use_special", useSpecial)
                    specialValue = RegNext("s\(step)\(stage)_special", specialValue)
                    valid = RegNext("s\(step)\(stage)_valid", valid, reset: 0)
                }
                valid = RegNext("s\(step)c_valid", valid, reset: 0)
                if step < steps - 1 {
                    // d is read again only by the next step's first stage.
                    divisor = RegNext("s\(step)c_d", RegNext("s\(step)b_d", RegNext("s\(step)a_d", divisor)))
                    c = RegNext("s\(step)c_c", next)
                    useSpecial = RegNext("s\(step)c_use_special", useSpecial)
                    specialValue = RegNext("s\(step)c_special", specialValue)
                } else {
                    // The last stage registers the selected result directly.
                    c = RegNext("s\(step)c_r", mux(useSpecial, specialValue, next))
                }
            }
            outValid <== valid
            r <== c
        }
    }
}
