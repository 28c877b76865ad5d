/// The 32-bit Galois LFSR that drives NormForge's stochastic rounding, shared bit for bit by the
/// golden model and the BFP converter circuits.
///
/// Polynomial x^32 + x^22 + x^2 + x + 1 (maximal length, period 2^32 - 1), right-shifting Galois
/// form: one step shifts the state right by one and, when the bit shifted out was 1, XORs
/// ``toggleMask`` into the state. The state is never zero.
///
/// Consumption order (the contract the RTL meets): ``next(bits:)`` returns the low `r` bits of the
/// current state and then advances the state by `r` steps, so that each draw uses bits no earlier
/// draw has seen. Because a step is linear over GF(2), advancing by `n` steps is a fixed XOR network
/// in hardware.
public struct LFSR32: Sendable, Hashable {
    /// Toggle mask of the Galois form: bit t-1 set for each term x^t (t >= 1) of the polynomial.
    public static let toggleMask: UInt32 = 0x8020_0003

    /// The current state (never zero).
    public private(set) var state: UInt32

    /// An LFSR started at `seed`; throws for the seed 0, the one state an LFSR never leaves.
    public init(seed: UInt32) throws(LFSRSeedError) {
        guard seed != 0 else { throw LFSRSeedError() }
        state = seed
    }

    /// Advances the state by one step.
    public mutating func step() { state = Self.step(state) }

    /// `state` one step later (any state, zero included: the map is linear over GF(2), which is
    /// what the hardware's XOR networks are built from).
    public static func step(_ state: UInt32) -> UInt32 {
        state & 1 != 0 ? (state >> 1) ^ toggleMask : state >> 1
    }

    /// The low `bits` bits of the current state (1...32); the state then advances by `bits` steps.
    public mutating func next(bits: Int) -> UInt32 {
        precondition(bits >= 1 && bits <= 32, "LFSR draw width must be 1...32")
        let value = bits == 32 ? state : state & ((UInt32(1) << UInt32(bits)) - 1)
        for _ in 0..<bits { step() }
        return value
    }
}

/// The LFSR seed was zero, which would lock the register at zero forever.
public struct LFSRSeedError: Error, CustomStringConvertible, Sendable {
    public var description: String { "LFSR seed must be nonzero" }
}
