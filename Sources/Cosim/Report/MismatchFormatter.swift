import Golden
import HDL

/// Renders check reports: hex for every port, and for floating-point ports the decoded sign,
/// exponent, fraction and value of every differing lane.
public enum MismatchFormatter {
    public static func format(_ report: CheckReport) -> String {
        var lines = ["\(report.design) on \(report.backend): \(report.passed) passed, \(report.failed) failed"]
        for mismatch in report.mismatches { lines.append(contentsOf: format(mismatch)) }
        if report.failed > report.mismatches.count {
            lines.append("  ... \(report.failed - report.mismatches.count) more mismatches not shown (first \(report.mismatches.count) of \(report.failed))")
        }
        return lines.joined(separator: "\n")
    }

    /// The lines describing one mismatch.
    public static func format(_ mismatch: Mismatch) -> [String] {
        let port = mismatch.port
        var lines = ["  vector \(mismatch.vector), cycle \(mismatch.cycle), port \(port.name): expected 0x\(mismatch.expected.hexDigits), actual 0x\(mismatch.actualText)"]
        if port.isSigned, port.width <= 64, let expected = mismatch.expected.signedValue {
            lines.append("      signed: expected \(expected), actual " + (mismatch.actual?.signedValue.map(String.init) ?? "x"))
        }
        guard let format = port.floatFormat, port.width % format.width == 0 else { return lines }
        let lanes = port.width / format.width
        for lane in 0..<lanes {
            let expected = mismatch.expected.lane(lane, width: format.width)
            let actual = mismatch.actual.map { $0.lane(lane, width: format.width) }
            guard actual != expected else { continue }
            let prefix = lanes > 1 ? "lane \(lane) " : ""
            lines.append("      \(prefix)expected \(decode(expected, format))")
            lines.append("      \(prefix)actual   " + (actual.map { decode($0, format) } ?? "has x/z bits"))
        }
        return lines
    }

    /// `sign 0, exponent 0x7f (2^0), fraction 0x000000 = 1.0` for an encoding of `format`.
    public static func decode(_ bits: UInt64, _ format: FloatFormat) -> String {
        let sign = format.sign(bits) ? 1 : 0
        let exponentField = format.exponentField(bits)
        let fraction = format.fractionField(bits)
        let exponentDigits = (format.exponentBits + 3) / 4, fractionDigits = max(1, (format.fractionBits + 3) / 4)
        let unbiased = exponentField == 0 ? format.minExponent : Int(exponentField) - format.bias
        var text = "sign \(sign), exponent 0x\(hex(exponentField, digits: exponentDigits)) (2^\(unbiased)), "
            + "fraction 0x\(hex(fraction, digits: fractionDigits)) = "
        if format.isNaN(bits) {
            text += "NaN"
        } else if format.isInfinite(bits) {
            text += sign == 1 ? "-inf" : "+inf"
        } else {
            let significand = Double(fraction) / Double(sign: .plus, exponent: format.fractionBits, significand: 1)
                + (exponentField == 0 ? 0 : 1)
            let magnitude = Double(sign: .plus, exponent: unbiased, significand: significand)
            text += (sign == 1 ? "-" : "") + "\(magnitude)"
            if exponentField == 0 && fraction != 0 { text += " (subnormal)" }
        }
        return text
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
