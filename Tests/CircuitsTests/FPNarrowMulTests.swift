import Circuits
import Cosim
import Foundation
import Golden
import HDL
import Testing

/// `FloatUnits.mulUnit(bPrecision:)` (the wide IterNorm's `* d`) equals `FloatFormat.mul` bit
/// for bit whenever `b` has at most `bPrecision` significant bits: edge-class and random `a`
/// (subnormals, overflow, specials) against integers, scaled integers and special `b`.
@Suite struct FPNarrowMulTests {
    @Test(arguments: [(FloatFormat(name: "e9f34", exponentBits: 9, fractionBits: 34), 9),
                      (FloatFormat(name: "e9f36", exponentBits: 9, fractionBits: 36), 11), (.fp32, 5)])
    func matchesFullMultiplyOnNarrowB(format: FloatFormat, bPrecision: Int) throws {
        let units = try FloatUnits(format)
        let unit = units.mulUnit(bPrecision: bPrecision)
        #expect(unit.name == "FPMul_\(units.tag)_b\(bPrecision)")
        let model = try FPSimulation.model(unit)
        let a = try model.port("a"), b = try model.port("b"), y = try model.port("y")
        var generator = FPOperandGenerator(format, seed: 0xD + UInt64(bPrecision))
        var rng = SeededRandom(seed: 99)
        // b: an integer of up to bPrecision bits times a power of two (a normal number), either sign; or special.
        func narrowB() -> UInt64 {
            switch rng.next() % 16 {
            case 0: return format.fromDouble(0)
            case 1: return format.infinity(sign: rng.next() & 1 == 1)!
            case 2: return format.canonicalNaN!
            default:
                let m = Double(1 + rng.next() % ((UInt64(1) << UInt64(bPrecision)) - 1))
                // Normal b only: m 2^k with k from the smallest normal exponent up.
                let k = format.minExponent + Int(rng.next() % UInt64(format.maxExponent - bPrecision - format.minExponent))
                let value = m * Double(sign: .plus, exponent: k, significand: 1)
                let bits = format.fromDouble(rng.next() & 1 == 1 ? -value : value)
                return bits
            }
        }
        var log = MismatchLog()
        let edges = FPOperandGenerator.edgeValues(format)
        var pairs: [(UInt64, UInt64)] = edges.flatMap { x in (0..<8).map { _ in (x, narrowB()) } }
        pairs += (0..<100_000).map { _ in (generator.next(), narrowB()) }
        for (x, z) in pairs {
            // Only b of at most bPrecision significant bits (a normal, or a special/zero) is in the contract.
            if format.isFinite(z) && !format.isZero(z) {
                #expect(!format.isSubnormal(z) && format.fractionField(z) & ((UInt64(1) << UInt64(format.precision - bPrecision)) - 1) == 0)
            }
            a.write(x)
            b.write(z)
            model.eval()
            let expected = format.mul(x, z)
            log.check(y.read(), expected, "a=\(decode(x, format)) b=\(decode(z, format)): expected \(decode(expected, format))")
        }
        try model.checkError()
        #expect(log.checked == pairs.count)
        #expect(log.count == 0, "\(log.report)")
    }
}
