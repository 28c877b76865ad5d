import Golden
import HDL

/// The floating-point unit modules of one IterNorm macro: the shared data-port units
/// (`FloatUnits.addUnit()` ...), instantiated per lane and per use, so that the emitted Verilog
/// holds each unit once. `F` is the I/O format, `A` the accumulate format, `W` the mean
/// format (docs/iternorm-architecture.md).
struct IterNormUnits {
    let io: FloatUnits, acc: FloatUnits, mean: FloatUnits
    let addA: Module, mulA: Module
    /// `W * (d 2^-Tx)`, `d` an integer up to `d_max` (the wide LayerNorm's centring).
    let mulByLength: Module
    /// `v * gamma` with gamma widened from `F` (at most `F`'s precision in significant bits): in
    /// the wide mode, an `A x F` multiplier (`FloatUnits.mul(_:_:bPrecision:)`).
    let mulByGamma: Module?
    /// `W -> A` (rounded): the wide LayerNorm's centred value into the arithmetic format.
    let meanToAcc: Module
    let addW: Module, mulW: Module
    /// `F -> W`, exact.
    let toMean: Module
    /// The wide LayerNorm's exact sum: `F ->` two's complement over `F`'s range
    /// (`IterNormConfig.exactSumWidth` bits), and its split into `hi`, then `lo`, in `W`.
    let toFixed: Module?, exactHigh: Module?, exactLow: Module?
    /// `F -> A` (exact), nil when `F == A`.
    let widen: Module?
    /// `A -> F` (rounded), nil when `F == A`.
    let narrow: Module?
    /// `x * 2^k`, `F -> A`, `k` of `shiftWidth` bits: the pre-scale of pass 2 and the output pass.
    let scaleIn: Module
    /// `mu * 2^k`, `W -> A` (`W -> W` in the wide LayerNorm, which centres in `W`), `k` of
    /// `shiftWidth` bits.
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
        addA = acc.addUnit()
        mulA = acc.mulUnit()
        mulByLength = mean.mulUnit(bPrecision: bitsFor(c.dMax))
        meanToAcc = mean.convertUnit(to: acc)
        mulByGamma = c.wide ? acc.mulUnit(bPrecision: c.format.precision) : nil
        addW = mean.addUnit()
        mulW = mean.mulUnit()
        toMean = io.convertUnit(to: mean)
        let sumWidth = c.exactSumWidth, lsb = c.format.minExponent - c.format.fractionBits
        toFixed = c.centresByLength ? io.toFixedUnit(width: sumWidth) : nil
        exactHigh = c.centresByLength ? mean.exactHighUnit(sumWidth: sumWidth, lsbExponent: lsb) : nil
        exactLow = c.centresByLength ? mean.exactLowUnit(sumWidth: sumWidth, lsbExponent: lsb) : nil
        widen = c.format == c.accumulate ? nil : io.convertUnit(to: acc)
        narrow = c.format == c.accumulate ? nil : acc.convertUnit(to: io)
        scaleIn = io.scaleBUnit(to: acc, kWidth: shiftWidth)
        scaleMean = mean.scaleBUnit(to: c.centresByLength ? mean : acc, kWidth: shiftWidth)
        scaleA = acc.scaleBUnit(to: acc, kWidth: iterationShiftWidth)
        self.shiftWidth = shiftWidth
        self.iterationShiftWidth = iterationShiftWidth
    }
}
