import Circuits
import Cosim
import Golden
import HDL
import Testing

/// The macro's floating-point units against Golden's soft-float, bit for bit, through Verilator:
/// edge encodings crossed with each other, then seeded random operands.
@Suite("IterNorm floating-point units")
struct IterNormFloatUnitTests {
    static let formats: [FloatFormat] = [.fp32, .bf16, .fp16]

    private func edges(_ f: FloatFormat) -> [UInt64] {
        let one = f.encode(sign: false, exponentField: UInt64(f.bias), fractionField: 0)
        let positive: [UInt64] = [0, 1, 2, f.fractionMask, f.fractionMask + 1, one, one + 1, one - 1,
                                  f.maxFinite(sign: false), f.maxFinite(sign: false) - 1,
                                  f.infinity(sign: false)!, f.canonicalNaN!, f.canonicalNaN! + 1]
        return positive + positive.map { $0 | f.signMask }
    }

    private func operands(_ f: FloatFormat, count: Int, seed: UInt64) -> [(UInt64, UInt64)] {
        let e = edges(f)
        var pairs = e.flatMap { x in e.map { (x, $0) } }
        var rng = SeededRandom(seed: seed)
        for _ in 0..<count {
            let x = rng.next() & f.encodingMask
            // Half of the second operands share the first's exponent region (cancellation).
            let y = rng.next() & 1 == 0 ? rng.next() & f.encodingMask
                : (x & ~f.fractionMask) ^ (rng.next() & (f.fractionMask | f.signMask))
            pairs.append((x, y))
        }
        return pairs
    }

    private func check(_ unit: IterNormFloatUnit, _ pairs: [(UInt64, UInt64)], kIsShift: Bool = false,
                       reference: (UInt64, UInt64) -> UInt64) throws {
        let sim = try VerilatorIterNormSimulator(try Design(top: unit.module()))
        var failures = 0
        for (x, y) in pairs {
            sim.write("a", [x])
            if kIsShift { sim.write("k", [y]) } else { sim.write("b", [y]) }
            sim.settle()
            let got = sim.read("y")[0], want = reference(x, y)
            if got != want {
                failures += 1
                if failures <= 5 { Issue.record("\(unit.moduleName)(0x\(String(x, radix: 16)), 0x\(String(y, radix: 16))): got 0x\(String(got, radix: 16)), want 0x\(String(want, radix: 16))") }
            }
        }
        #expect(failures == 0, "\(unit.moduleName): \(failures) of \(pairs.count)")
    }

    @Test("add and multiply", arguments: formats)
    func addMul(f: FloatFormat) throws {
        let pairs = operands(f, count: 40_000, seed: 21)
        try check(.add(f), pairs) { f.add($0, $1) }
        try check(.mul(f), pairs) { f.mul($0, $1) }
    }

    @Test("scale by 2^k with conversion, and plain conversion", arguments: formats)
    func scaleConvert(f: FloatFormat) throws {
        let a = FloatFormat.fp32
        let kWidth = 12
        var rng = SeededRandom(seed: 5)
        let values = edges(f) + (0..<20_000).map { _ in rng.next() & f.encodingMask }
        let shifts = [-300, -160, -150, -130, -24, -2, -1, 0, 1, 2, 24, 130, 260]
        var pairs: [(UInt64, UInt64)] = []
        for v in values { pairs.append((v, UInt64(bitPattern: Int64(shifts[Int(rng.next() % UInt64(shifts.count))])) & 0xFFF)) }
        func k(_ bits: UInt64) -> Int { Int(Int64(bitPattern: bits << 52) >> 52) }
        try check(.scale(from: f, to: a, kWidth: kWidth), pairs, kIsShift: true) { x, s in a.scaleB(f.convert(x, to: a), k(s)) }
        try check(.scale(from: f, to: f, kWidth: kWidth), pairs, kIsShift: true) { x, s in f.scaleB(x, k(s)) }
        try check(.convert(from: f, to: a), pairs) { x, _ in f.convert(x, to: a) }
        let wide = values.map { _ in (rng.next() & a.encodingMask, UInt64(0)) }
        try check(.convert(from: a, to: f), wide) { x, _ in a.convert(x, to: f) }
    }
}
