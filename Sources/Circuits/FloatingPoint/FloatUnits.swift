import Golden
import HDL

/// Why a floating-point unit cannot be generated for the requested parameters.
public struct FPUnitError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) { self.description = description }
}

/// Floating-point circuit generators for one `FloatFormat`: IEEE 754 encodings, round to nearest
/// even, subnormals in and out, every NaN result `format.canonicalNaN`. Each operation matches
/// the soft-float operation of `Golden` of the same name bit for bit (see `docs/fp-units.md`).
///
/// Every unit comes in two forms: a function that takes and returns DSL signals inside the
/// module being built (optionally pipelined with an `FPPipeline`), and a standalone `Module`
/// generator named after its parameters (`FPAdd_e8f23_s1`).
///
/// ```swift
/// let fp = try FloatUnits(.fp32)
/// Module("Lane") {
///     let a = Input("a", .bits(32)), b = Input("b", .bits(32))
///     let y = Output("y", .bits(32))
///     y <== fp.add(a, b)
/// }
/// ```
public struct FloatUnits: Sendable, Hashable {
    /// The format every operand and result of these units is encoded in.
    public let format: FloatFormat

    /// Units for `format`; throws `FPUnitError` unless the format uses IEEE specials (infinity
    /// and NaN at the all-ones exponent) and has at least 2 exponent and 1 fraction bits.
    public init(_ format: FloatFormat) throws(FPUnitError) {
        guard format.specials == .ieee else {
            throw FPUnitError("FP units support IEEE special encodings only; \(format.name) uses \(format.specials.rawValue)")
        }
        guard format.exponentBits >= 2, format.fractionBits >= 1 else {
            throw FPUnitError("FP units need at least 2 exponent bits and 1 fraction bit; \(format.name) has \(format.exponentBits) and \(format.fractionBits)")
        }
        self.format = format
    }

    /// The tag that names the format in module names: `e8f23` for fp32.
    public var tag: String { "e\(format.exponentBits)f\(format.fractionBits)" }

    /// The encoding width (sign, exponent field, fraction field).
    public var width: Int { format.width }

    /// The width of the signed integer that `exponent(_:)` returns: holds every `E(a)` of the
    /// format, from `emin - fractionBits` to `emax`.
    public var exponentWidth: Int {
        let extreme = max(format.fractionBits - format.minExponent, format.maxExponent)
        return bitsFor(extreme) + 1
    }
}

