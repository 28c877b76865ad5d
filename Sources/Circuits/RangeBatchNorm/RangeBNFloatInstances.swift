import Golden
import HDL

/// The shared `FloatUnits` modules (combinational: `FPMul_e8f23_s0` ...) of one format, built
/// before the module that instantiates them (module bodies cannot throw).
struct RangeBNUnitModules {
    let add: Module, sub: Module, mul: Module, maximum: Module, minimum: Module

    init(_ units: FloatUnits) throws {
        add = try units.addModule()
        sub = try units.subModule()
        mul = try units.mulModule()
        maximum = try units.maximumModule()
        minimum = try units.minimumModule()
    }
}

/// The range-BN circuits' floating-point operations as instances of the shared unit modules
/// instead of inline logic: each unit is then one module that synthesis processes once, so the
/// unit stays synthesizable as a hierarchy (flattened, Yosys 0.23 needed over 10 GB for the
/// reciprocal's chain of ten inline FP32 multipliers).
///
/// Elaboration helper: create it inside the module body, call the operations, then add
/// `assignments` to the body (they drive the instances' inputs).
final class RangeBNFloatInstances {
    private(set) var assignments: [Assignment] = []
    private var count = 0

    func apply(_ module: Module, _ a: Signal, _ b: Signal) -> Signal {
        let instance = Instance(module, nextName())
        assignments.append(instance.a <== a)
        assignments.append(instance.b <== b)
        // The unit modules' valid bit travels with the data; nothing here uses it.
        assignments.append(instance.valid_in <== Const(0, .bool))
        return instance.y
    }

    /// A one-operand unit (a conversion module).
    func apply(_ module: Module, _ a: Signal) -> Signal {
        let instance = Instance(module, nextName())
        assignments.append(instance.a <== a)
        assignments.append(instance.valid_in <== Const(0, .bool))
        return instance.y
    }

    private func nextName() -> String {
        count += 1
        return "u_fp\(count)"
    }
}
