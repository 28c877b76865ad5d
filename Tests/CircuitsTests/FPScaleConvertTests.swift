import Circuits
import Cosim
import Foundation
import Golden
import HDL
import Testing

/// `scaleB(_:by:to:)`, the fused scale and format conversion, against one exact rounding: the
/// scaled value is exact in fp64 whenever it is inside fp64's range, and outside it fp64's
/// overflow or underflow lands where the (much narrower) target's would.
@Suite struct FPScaleConvertTests {
    static func reference(_ x: UInt64, _ k: Int, from: FloatFormat, to: FloatFormat) -> UInt64 {
        let wide = FloatFormat.fp64
        return wide.convert(wide.scaleB(from.convert(x, to: wide), k), to: to)
    }

    static func check(from: FloatFormat, to: FloatFormat, operands: some Sequence<UInt64>,
                      scales: (UInt64) -> [Int]) throws -> MismatchLog {
        let kWidth = max(from.exponentBits, to.exponentBits) + 4
        let unit = try FloatUnits(from).scaleBModule(kWidth: kWidth, to: FloatUnits(to))
        #expect(unit.name == "FPScaleB_\(try FloatUnits(from).tag)_to_\(try FloatUnits(to).tag)_k\(kWidth)_s0")
        let model = try FPSimulation.model(unit)
        let a = try model.port("a"), k = try model.port("k"), y = try model.port("y")
        try model.port("valid_in").write(1)
        let kMask = (UInt64(1) << UInt64(kWidth)) - 1
        var log = MismatchLog()
        for x in operands {
            a.write(x)
            for shift in scales(x) {
                k.write(UInt64(bitPattern: Int64(shift)) & kMask)
                model.eval()
                let want = reference(x, shift, from: from, to: to), got = y.read()
                log.check(got, want, "scaleB(\(decode(x, from)), \(shift)) to \(to): got \(decode(got, to)), expected \(decode(want, to))")
            }
        }
        try model.checkError()
        return log
    }

    /// Shift amounts across the target's subnormal and overflow boundaries and the port's ends.
    static func scales(from: FloatFormat, to: FloatFormat) -> [Int] {
        let limit = 1 << (max(from.exponentBits, to.exponentBits) + 3)
        let shifts = [to.maxExponent - from.maxExponent, to.minExponent - from.minExponent,
                      to.minExponent - to.fractionBits - from.maxExponent]
        return Array(-3...3) + [-limit, limit - 1] + shifts.flatMap { [$0 - 1, $0, $0 + 1] }
    }

    /// Every bf16 / fp16 encoding into fp32 (the IterNorm pre-scale of 16-bit inputs).
    @Test(arguments: [FloatFormat.bf16, .fp16])
    func exhaustive16BitIntoFP32(from: FloatFormat) throws {
        var random = SeededRandom(seed: 0xF5 + UInt64(from.exponentBits))
        let boundaries = Self.scales(from: from, to: .fp32)
        let log = try Self.check(from: from, to: .fp32, operands: 0..<UInt64(1 << 16)) { _ in
            boundaries + [Int(random.next() % 600) - 300]
        }
        #expect(log.checked == (1 << 16) * (boundaries.count + 1))
        #expect(log.count == 0, "\(from): \(log.report)")
    }

    /// fp32 with 9 exponent bits into fp32 (the IterNorm mean), fp32 into itself and into bf16.
    @Test(arguments: [(fp32e9, FloatFormat.fp32), (.fp32, .fp32), (.fp32, .bf16)])
    func randomNarrowingAndSame(from: FloatFormat, to: FloatFormat) throws {
        var generator = FPOperandGenerator(from, seed: 0x5C + UInt64(to.fractionBits))
        let edges = FPOperandGenerator.edgeValues(from)
        let boundaries = Self.scales(from: from, to: to)
        var random = SeededRandom(seed: 0xC0)
        let operands = edges + (0..<200_000).map { _ in generator.next() }
        let log = try Self.check(from: from, to: to, operands: operands) { x in
            edges.contains(x) ? boundaries : [Int(random.next() % 700) - 350, Int(random.next() % 8) - 4]
        }
        #expect(log.count == 0, "\(from) -> \(to): \(log.report)")
    }
}
