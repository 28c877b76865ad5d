import Golden
import HDL

/// The floating-point unit modules of one IterNorm macro, built once from the shared library's
/// inline units (`FloatUnits`, combinational) and instantiated per lane and per use, so that the emitted
/// Verilog holds each unit once. `F` is the I/O format, `A` the accumulate format, `W` the mean
/// format (docs/iternorm-architecture.md).
struct IterNormUnits {
    let io: FloatUnits, acc: FloatUnits, mean: FloatUnits
    let addA: Module, mulA: Module
    let addW: Module, mulW: Module
    /// `F -> W`, exact.
    let toMean: Module
    /// `F -> A` (exact), nil when `F == A`.
    let widen: Module?
    /// `A -> F` (rounded), nil when `F == A`.
    let narrow: Module?
    /// `x * 2^k`, `F -> A`, `k` of `shiftWidth` bits: the pre-scale of pass 2 and the output pass.
    let scaleIn: Module
    /// `mu * 2^k`, `W -> A`, `k` of `shiftWidth` bits.
    let scaleMean: Module
    /// `a * 2^k` in `A`, `k` of `iterationShiftWidth` bits: the initialization, the eps term,
    /// the vector form's rescale.
    let scaleA: Module
    let shiftWidth: Int
    let iterationShiftWidth: Int

    init(_ c: IterNormConfig) throws(IterNormError) {
        // -Tx: F's exponents span [emin - f, emax]. The iteration shifts: -e0, -(2 e0 + n) with
        // E(s) in A's range, and -2 Tx for the eps term.
        let shiftWidth = c.format.exponentBits + 4
        let iterationShiftWidth = max(shiftWidth + 1, c.accumulate.exponentBits + 4)
        do {
            io = try FloatUnits(c.format)
            acc = try FloatUnits(c.accumulate)
            mean = try FloatUnits(c.meanFormat)
        } catch {
            throw IterNormError("floating-point units: \(error)")
        }
        let (io, acc, mean) = (io, acc, mean)
        addA = Self.binary("Add", acc) { acc.add($0, $1) }
        mulA = Self.binary("Mul", acc) { acc.mul($0, $1) }
        addW = Self.binary("Add", mean) { mean.add($0, $1) }
        mulW = Self.binary("Mul", mean) { mean.mul($0, $1) }
        toMean = Self.convert(io, mean)
        widen = c.format == c.accumulate ? nil : Self.convert(io, acc)
        narrow = c.format == c.accumulate ? nil : Self.convert(acc, io)
        scaleIn = Self.scale(io, acc, kWidth: shiftWidth)
        scaleMean = Self.scale(mean, acc, kWidth: shiftWidth)
        scaleA = Self.scale(acc, acc, kWidth: iterationShiftWidth)
        self.shiftWidth = shiftWidth
        self.iterationShiftWidth = iterationShiftWidth
    }

    // The library's unit modules carry a valid bit for standalone use; the macro has its own
    // valid pipeline, so its unit modules wrap the inline forms with data ports only
    // (an unread valid_out per instance would fail `verilator -Wall`).

    /// `IterNorm<kind>_<tag>`: `y = op(a, b)`.
    private static func binary(_ kind: String, _ units: FloatUnits,
                               _ op: @escaping (Signal, Signal) -> Signal) -> Module {
        Module("IterNorm\(kind)_\(units.tag)") {
            let a = Input("a", .bits(units.width)), b = Input("b", .bits(units.width))
            let y = Output("y", .bits(units.width))
            y <== op(a, b)
        }
    }

    /// `IterNormConvert_<from>_to_<to>`.
    private static func convert(_ from: FloatUnits, _ to: FloatUnits) -> Module {
        Module("IterNormConvert_\(from.tag)_to_\(to.tag)") {
            let a = Input("a", .bits(from.width))
            let y = Output("y", .bits(to.width))
            y <== from.convert(a, to: to)
        }
    }

    /// `IterNormScaleB_<from>_to_<to>_k<kWidth>`: `a * 2^k` rounded once to `to`.
    private static func scale(_ from: FloatUnits, _ to: FloatUnits, kWidth: Int) -> Module {
        Module("IterNormScaleB_\(from.tag)_to_\(to.tag)_k\(kWidth)") {
            let a = Input("a", .bits(from.width)), k = Input("k", .sint(kWidth))
            let y = Output("y", .bits(to.width))
            y <== from.scaleB(a, by: k, to: to)
        }
    }
}
