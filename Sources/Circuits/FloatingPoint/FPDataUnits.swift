import Golden
import HDL

// Data-port unit modules: the FP units for circuits that carry their own valid pipeline (the
// IterNorm macro, the range-BN circuits). The standalone modules of `FPUnitModule.swift` carry a
// valid bit, whose unread `valid_out` per instance would fail `verilator -Wall`; these have the
// operands and `y` only. A module's name follows from its parameters alone, so every circuit
// that adds FP32 instantiates the same `FPAdd_e8f23` and a design holds it once.
extension FloatUnits {
    /// `FPAdd_<tag>`: `y = a + b`, combinational.
    public func addUnit() -> Module { binaryUnit("Add") { add($0, $1) } }

    /// `FPSub_<tag>`: `y = a - b`, combinational.
    public func subUnit() -> Module { binaryUnit("Sub") { sub($0, $1) } }

    /// `FPMul_<tag>`: `y = a * b`, combinational.
    public func mulUnit() -> Module { binaryUnit("Mul") { mul($0, $1) } }

    /// `FPMul_<tag>_b<bPrecision>`: `y = a * b` for a `b` of at most `bPrecision` significant bits
    /// (`mul(_:_:bPrecision:)`), combinational: a multiply by an integer of that many bits.
    public func mulUnit(bPrecision: Int) -> Module {
        binaryUnit("Mul", suffix: "_b\(bPrecision)") { mul($0, $1, bPrecision: bPrecision) }
    }

    /// `FPMax_<tag>`: `y = maximum(a, b)`, combinational.
    public func maximumUnit() -> Module { binaryUnit("Max") { maximum($0, $1) } }

    /// `FPMin_<tag>`: `y = minimum(a, b)`, combinational.
    public func minimumUnit() -> Module { binaryUnit("Min") { minimum($0, $1) } }

    /// `FPConvert_<tag>_to_<target tag>`: `y = convert(a)` into `target`, combinational.
    public func convertUnit(to target: FloatUnits) -> Module {
        Module("FPConvert_\(tag)_to_\(target.tag)") {
            let a = Input("a", .bits(width))
            let y = Output("y", .bits(target.width))
            y <== convert(a, to: target)
        }
    }

    /// `FPScaleB_<tag>_to_<target tag>_k<kWidth>`: `y = a * 2^k` rounded once to `target`, with a
    /// signed `kWidth`-bit `k`, combinational.
    public func scaleBUnit(to target: FloatUnits, kWidth: Int) -> Module {
        Module("FPScaleB_\(tag)_to_\(target.tag)_k\(kWidth)") {
            let a = Input("a", .bits(width)), k = Input("k", .sint(kWidth))
            let y = Output("y", .bits(target.width))
            y <== scaleB(a, by: k, to: target)
        }
    }

    private func binaryUnit(_ kind: String, suffix: String = "", _ op: @escaping (Signal, Signal) -> Signal) -> Module {
        Module("FP\(kind)_\(tag)\(suffix)") {
            let a = Input("a", .bits(width)), b = Input("b", .bits(width))
            let y = Output("y", .bits(width))
            y <== op(a, b)
        }
    }
}

/// Instantiates data-port unit modules (`FloatUnits.addUnit()` ...) inside the module being
/// built and uses them like functions: each call is one instance, named `u_<kind>_<n>`
/// (`u_add_0`), whose inputs are wired continuously.
///
/// Instances instead of inline logic: synthesis processes each unit module once, so a circuit
/// with many FP operations stays synthesizable as a hierarchy (flattened, Yosys 0.23 needed
/// over 10 GB for the range-BN reciprocal's chain of ten inline FP32 multipliers).
public final class FPUnitInstances {
    private var counts: [String: Int] = [:]

    public init() {}

    /// `y` of a new instance of `unit`: `operands` go to `a`, then `b` (or `k` for a scale unit).
    public func apply(_ unit: Module, _ operands: Signal...) -> Signal {
        let kind = Self.kind(unit.name)
        let n = counts[kind, default: 0]
        counts[kind] = n + 1
        let instance = Instance(unit, "u_\(kind)_\(n)")
        Continuous {
            instance.a <== operands[0]
            if operands.count > 1 {
                (unit.port(named: "k") != nil ? instance.k : instance.b) <== operands[1]
            }
        }
        return instance.y
    }

    /// `FPAdd_e8f23` -> `add`.
    private static func kind(_ unitName: String) -> String {
        unitName.dropFirst("FP".count).prefix { $0 != "_" }.lowercased()
    }
}
