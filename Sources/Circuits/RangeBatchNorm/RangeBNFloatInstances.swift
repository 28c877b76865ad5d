import Golden
import HDL

/// The floating-point unit modules of the range-BN circuits for one format, wrapping the shared
/// library's inline units (`FloatUnits`, combinational) with data ports only (the library's
/// standalone modules carry a valid bit whose unread output fails `verilator -Wall`), built
/// before the module that instantiates them: `RangeBN<Kind>_<tag>`.
struct RangeBNUnitModules {
    let add: Module, sub: Module, mul: Module, maximum: Module, minimum: Module

    init(_ units: FloatUnits) {
        add = Self.binary("Add", units) { units.add($0, $1) }
        sub = Self.binary("Sub", units) { units.sub($0, $1) }
        mul = Self.binary("Mul", units) { units.mul($0, $1) }
        maximum = Self.binary("Max", units) { units.maximum($0, $1) }
        minimum = Self.binary("Min", units) { units.minimum($0, $1) }
    }

    static func binary(_ kind: String, _ units: FloatUnits, _ op: @escaping @Sendable (Signal, Signal) -> Signal) -> Module {
        Module("RangeBN\(kind)_\(units.tag)") {
            let a = Input("a", .bits(units.width)), b = Input("b", .bits(units.width))
            let y = Output("y", .bits(units.width))
            y <== op(a, b)
        }
    }

    /// `RangeBNConvert_<from>_to_<to>`.
    static func convert(_ from: FloatUnits, to target: FloatUnits) -> Module {
        Module("RangeBNConvert_\(from.tag)_to_\(target.tag)") {
            let a = Input("a", .bits(from.width))
            let y = Output("y", .bits(target.width))
            y <== from.convert(a, to: target)
        }
    }
}

/// The range-BN circuits' floating-point operations as instances of `RangeBNUnitModules` instead
/// of inline logic: each unit is then one module that synthesis processes once, so the unit stays
/// synthesizable as a hierarchy (flattened, Yosys 0.23 needed over 10 GB for the reciprocal's
/// chain of ten inline FP32 multipliers).
///
/// Elaboration helper: create it inside the module body, then call the operations.
final class RangeBNFloatInstances {
    private var count = 0

    func apply(_ module: Module, _ a: Signal, _ b: Signal) -> Signal {
        let instance = Instance(module, nextName())
        Continuous {
            instance.a <== a
            instance.b <== b
        }
        return instance.y
    }

    /// A one-operand unit (a conversion module).
    func apply(_ module: Module, _ a: Signal) -> Signal {
        let instance = Instance(module, nextName())
        Continuous { instance.a <== a }
        return instance.y
    }

    private func nextName() -> String {
        count += 1
        return "u_fp\(count)"
    }
}
