import Foundation

/// A fast, seeded, reproducible generator: xoshiro256** seeded through SplitMix64.
///
/// Same seed, same stream, on every platform: tests and reports state their seed and can be
/// replayed. Conforms to `RandomNumberGenerator`, so `Int.random(in:using:)` works with it.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A generator whose whole stream is determined by `seed`.
    public init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
    }

    /// Generator number `stream` of the family `seed`: each stream is a function of (seed, stream)
    /// alone, so item `i` of a long run can be drawn without drawing items 0..<i (sharding).
    public init(seed: UInt64, stream: UInt64) {
        var sm = SplitMix64(seed: seed)
        var mixed = SplitMix64(seed: sm.next() ^ (stream &* 0x9E37_79B9_7F4A_7C15))
        self.init(seed: mixed.next())
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = (s1 &* 5).rotatedLeft(7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3.rotatedLeft(45)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inlinable
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A standard normal sample (Marsaglia's polar method; the spare sample is dropped so the
    /// generator state alone determines the stream).
    @inlinable
    public mutating func nextNormal() -> Double {
        while true {
            let u = 2 * nextUnit() - 1, v = 2 * nextUnit() - 1
            let q = u * u + v * v
            if q > 0 && q < 1 { return u * (-2 * log(q) / q).squareRoot() }
        }
    }

    /// A sample of N(mean, stddev^2).
    @inlinable
    public mutating func nextNormal(mean: Double, stddev: Double) -> Double {
        mean + stddev * nextNormal()
    }

    /// A Student-t sample with `nu` degrees of freedom: heavy tails (nu = 3 has infinite kurtosis).
    @inlinable
    public mutating func nextStudentT(nu: Int) -> Double {
        precondition(nu >= 1, "degrees of freedom must be >= 1")
        var chi2 = 0.0
        for _ in 0..<nu { let g = nextNormal(); chi2 += g * g }
        return nextNormal() / (chi2 / Double(nu)).squareRoot()
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): expands one seed into well-mixed state words.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    @usableFromInline var state: UInt64

    public init(seed: UInt64) { state = seed }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension UInt64 {
    @inlinable @inline(__always)
    func rotatedLeft(_ k: UInt64) -> UInt64 { (self << k) | (self >> (64 - k)) }
}
