import Golden
import HDL

/// The conventional batch-norm unit's reciprocal square root, 1/sqrt(v) in FP32 with no divider
/// or square root (golden model: `ConventionalBatchNorm.rsqrt(_:steps:)`): the seed
/// 0.84375 * 2^-(E/2) or 0.59375 * 2^-((E-1)/2) is always a normal number, wired from the
/// exponent; then `steps` Newton steps y = y * (1.5 - (y * v/2) * y) on the shared FP32 units.
///
/// Ports: `in_valid`, `v` -> `out_valid`, `r`. One FP operation per stage: a seed stage (and
/// h = v * 0.5), then per step four stages (y * h, * y, 1.5 - that, y * that): latency
/// `latency(steps:)` = 1 + 4 * steps cycles, one value per cycle.
public enum ConventionalBNRsqrtCircuit {
    public static func latency(steps: Int) -> Int { 1 + 4 * steps }

    /// The module, named `conventional_bn_rsqrt_fp32_n<steps>`; throws for steps outside 1...16.
    public static func module(steps: Int) throws -> Module {
        guard (1...16).contains(steps) else { throw RangeBatchNormError("Newton steps must be in 1...16, got \(steps)") }
        let units = RangeBNUnitModules(try FloatUnits(.fp32))
        return Module("conventional_bn_rsqrt_fp32_n\(steps)") {
            let ops = FPUnitInstances()
            let inValid = Input("in_valid", .bool)
            let v = Input("v", .bits(32))
            let outValid = Output("out_valid", .bool)
            let r = Output("r", .bits(32))
            let operand = NewtonSeedOperand(v)
            let (sign, isNaN, isInfinite, isZero) = (operand.sign, operand.isNaN, operand.isInfinite, operand.isZero)
            let exponent = operand.exponent, ew = NewtonSeedOperand.exponentWidth
            // floor(E/2): E/2 for even E, (E-1)/2 for odd E.
            let half = exponent.asSigned() >> 1
            let seedField = (Const(126, .sint(ew)) &- half).truncate(to: 8).asUnsigned()
            let seed = cat(Const(0, width: 1), seedField,
                           mux(exponent[0], Const(0x18_0000, width: 23), Const(0x58_0000, width: 23)))
            let special = mux(isNaN | (sign & ~isZero), Const(Int(FloatFormat.fp32.canonicalNaN!), width: 32),
                              mux(isZero, Const(0x7F80_0000, width: 32), Const(0, width: 32)))
            var valid = RegNext("seed_valid", inValid, reset: 0)
            var y = RegNext("seed_y", seed)
            var h = RegNext("seed_h", ops.apply(units.mul, v, Const(0x3F00_0000, width: 32)))
            var useSpecial = RegNext("seed_use_special", isNaN | isZero | isInfinite | sign)
            var specialValue = RegNext("seed_special", special)
            for step in 0..<steps {
                let product = RegNext("s\(step)a_yh", ops.apply(units.mul, y, h))
                let yA = RegNext("s\(step)a_y", y), hA = RegNext("s\(step)a_h", h)
                let scaled = RegNext("s\(step)b_yhy", ops.apply(units.mul, product, yA))
                let yB = RegNext("s\(step)b_y", yA)
                let correction = RegNext("s\(step)c_corr", ops.apply(units.sub, Const(0x3FC0_0000, width: 32), scaled))
                let yC = RegNext("s\(step)c_y", yB)
                let next = ops.apply(units.mul, yC, correction)
                for stage in ["a", "b", "c"] {
                    useSpecial = RegNext("s\(step)\(stage)_use_special", useSpecial)
                    specialValue = RegNext("s\(step)\(stage)_special", specialValue)
                    valid = RegNext("s\(step)\(stage)_valid", valid, reset: 0)
                }
                valid = RegNext("s\(step)d_valid", valid, reset: 0)
                if step < steps - 1 {
                    h = RegNext("s\(step)d_h", RegNext("s\(step)c_h", RegNext("s\(step)b_h", hA)))
                    y = RegNext("s\(step)d_y", next)
                    useSpecial = RegNext("s\(step)d_use_special", useSpecial)
                    specialValue = RegNext("s\(step)d_special", specialValue)
                } else {
                    y = RegNext("s\(step)d_r", mux(useSpecial, specialValue, next))
                }
            }
            outValid <== valid
            r <== y
        }
    }
}
