import Testing
import Golden

/// The stochastic-rounding LFSR: maximal period (checked by GF(2) matrix powers of the actual step
/// function), the draw contract, and the statistics of stochastic rounding.
@Suite struct BFPLFSRTests {
    /// The step as a 32x32 GF(2) matrix: column i is step(e_i).
    typealias Matrix = [UInt32]

    static func stepMatrix() throws -> Matrix {
        (0..<32).map { i in
            var l = try! LFSR32(seed: UInt32(1) << UInt32(i))
            l.step()
            return l.state
        }
    }

    static func apply(_ m: Matrix, _ v: UInt32) -> UInt32 {
        var r: UInt32 = 0
        for i in 0..<32 where v >> UInt32(i) & 1 == 1 { r ^= m[i] }
        return r
    }

    static func multiply(_ a: Matrix, _ b: Matrix) -> Matrix { b.map { apply(a, $0) } }

    static func power(_ m: Matrix, _ n: UInt64) -> Matrix {
        var result: Matrix = (0..<32).map { UInt32(1) << UInt32($0) }
        var base = m, e = n
        while e > 0 {
            if e & 1 == 1 { result = multiply(base, result) }
            base = multiply(base, base)
            e >>= 1
        }
        return result
    }

    @Test func periodIsMaximal() throws {
        let step = try Self.stepMatrix()
        let period: UInt64 = (1 << 32) - 1
        let identity: Matrix = (0..<32).map { UInt32(1) << UInt32($0) }
        #expect(Self.power(step, period) == identity)
        // 2^32 - 1 = 3 * 5 * 17 * 257 * 65537: no proper divisor of the period returns to the start.
        for p: UInt64 in [3, 5, 17, 257, 65537] {
            #expect(Self.power(step, period / p) != identity, "period divides (2^32-1)/\(p)")
        }
    }

    @Test func drawsTakeLowBitsThenAdvance() throws {
        var a = try LFSR32(seed: 0xDEAD_BEEF), b = a
        let first = a.next(bits: 16)
        #expect(first == 0xBEEF)
        for _ in 0..<16 { b.step() }
        #expect(a == b)
        #expect(a.state == Self.apply(Self.power(try Self.stepMatrix(), 16), 0xDEAD_BEEF))
        #expect(throws: LFSRSeedError.self) { try LFSR32(seed: 0) }
    }

    @Test func quantizerDrawsOncePerElementWhateverTheBlock() throws {
        let format = try BFPFormat(blockSize: 4, element: .float(.e4m3), rounding: .stochastic,
                                   stochasticBits: 12)
        var q = try BFPQuantizer(format: format, source: .fp32, seed: 77)
        var l = try LFSR32(seed: 77)
        _ = try q.quantize(block: [0, 0, 0, 0].map(BFPNative.fp32))
        _ = try q.quantize(block: [1, .nan, 0, 0].map(BFPNative.fp32))
        for _ in 0..<8 { _ = l.next(bits: 12) }
        #expect(q.lfsr == l)
        // Deterministic modes leave the LFSR alone.
        var d = try BFPQuantizer(format: format.with(rounding: .nearestEven), source: .fp32, seed: 77)
        _ = try d.quantize(block: [1, 2, 3, 4].map(BFPNative.fp32))
        #expect(d.lfsr == (try LFSR32(seed: 77)))
    }

    @Test func stochasticRoundingIsUnbiased() throws {
        // Scale 2^0 (amax 256): 1 + 1/16 is half-way between 1 and 1.125 in E4M3, 1 + 1/32 a quarter
        // of the way; exact values never move.
        let format = try BFPFormat(blockSize: 4, element: .float(.e4m3), rounding: .stochastic)
        var q = try BFPQuantizer(format: format, source: .fp32, seed: 12345)
        var ups = [0, 0, 0]
        let n = 20000
        for _ in 0..<n {
            let b = try q.quantize(block: [256, 1.0625, 1.03125, 1.25].map(BFPNative.fp32))
            #expect(b.elements[0] == 0x78 && b.elements[3] == 0x3A)
            #expect(b.elements[1] == 0x38 || b.elements[1] == 0x39)
            if b.elements[1] == 0x39 { ups[0] += 1 }
            if b.elements[2] == 0x39 { ups[1] += 1 }
        }
        // Binomial standard deviations are ~71 and ~61: allow 5 sigma.
        #expect(abs(ups[0] - n / 2) < 360)
        #expect(abs(ups[1] - n / 4) < 310)
    }
}
