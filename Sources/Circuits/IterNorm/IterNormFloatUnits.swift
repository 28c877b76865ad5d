import Golden
import HDL

/// The combinational floating-point units of the IterNorm macro, one module per (operation,
/// format), instantiated once per use. Ports: `a`, `b` (or `k`, a signed shift) and `y`.
public enum IterNormFloatUnit: Sendable, Hashable {
    case add(FloatFormat)
    case mul(FloatFormat)
    /// `a * 2^k` (signed `kWidth`-bit `k`), converted from `from` to `to` with one rounding.
    case scale(from: FloatFormat, to: FloatFormat, kWidth: Int)
    /// `a` converted from `from` to `to`.
    case convert(from: FloatFormat, to: FloatFormat)

    /// A module name that encodes every parameter.
    public var moduleName: String {
        func tag(_ f: FloatFormat) -> String { "e\(f.exponentBits)m\(f.fractionBits)" }
        switch self {
        case .add(let f): return "IterNormFAdd_\(tag(f))"
        case .mul(let f): return "IterNormFMul_\(tag(f))"
        case .scale(let from, let to, let k): return "IterNormFScale_\(tag(from))_to_\(tag(to))_k\(k)"
        case .convert(let from, let to): return "IterNormFConvert_\(tag(from))_to_\(tag(to))"
        }
    }

    /// The unit as a module.
    public func module() -> Module {
        Module(moduleName) { body() }
    }

    private func body() -> [Assignment] {
        switch self {
        case .add(let f):
            let a = Input("a", .bits(f.width)), b = Input("b", .bits(f.width))
            let y = Output("y", .bits(f.width))
            return [y <== floatAdd(a, b, f)]
        case .mul(let f):
            let a = Input("a", .bits(f.width)), b = Input("b", .bits(f.width))
            let y = Output("y", .bits(f.width))
            return [y <== floatMul(a, b, f)]
        case .scale(let from, let to, let kWidth):
            let a = Input("a", .bits(from.width)), k = Input("k", .sint(kWidth))
            let y = Output("y", .bits(to.width))
            return [y <== floatScaleConvert(a, by: k, from: from, to: to)]
        case .convert(let from, let to):
            let a = Input("a", .bits(from.width))
            let y = Output("y", .bits(to.width))
            return [y <== floatScaleConvert(a, by: nil, from: from, to: to)]
        }
    }
}
