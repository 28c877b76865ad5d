// A flat bus of lanes as the testbenches drive and read it: lane 0 in the low bits, the order
// `packLanes` and `Signal.lane(_:width:)` use in hardware. The one packer and decoder every
// layer uses (stimulus, co-simulation drivers, mismatch reports).
extension BitVector {
    /// `lanes` of `laneWidth` bits (1...64) side by side, lane 0 in the low bits; bits of a lane
    /// above `laneWidth` are dropped.
    public init(lanes: [UInt64], laneWidth: Int) {
        var words = [UInt64](repeating: 0, count: max(1, (lanes.count * laneWidth + 63) / 64))
        for (i, lane) in lanes.enumerated() {
            let bit = i * laneWidth
            let value = laneWidth < 64 ? lane & ((1 << UInt64(laneWidth)) - 1) : lane
            words[bit / 64] |= value << UInt64(bit % 64)
            if bit % 64 + laneWidth > 64 { words[bit / 64 + 1] |= value >> UInt64(64 - bit % 64) }
        }
        self.init(words: words, width: lanes.count * laneWidth)
    }

    /// Lane `index` of `laneWidth` bits (1...64), lane 0 in the low bits; bits beyond the
    /// vector read as 0.
    public func lane(_ index: Int, width laneWidth: Int) -> UInt64 {
        let low = index * laneWidth
        var bits: UInt64 = 0
        for bit in 0..<laneWidth where self.bit(low + bit) { bits |= 1 << UInt64(bit) }
        return bits
    }

    /// Every whole lane of `laneWidth` bits, lane 0 first.
    public func lanes(width laneWidth: Int) -> [UInt64] {
        (0..<(width / laneWidth)).map { lane($0, width: laneWidth) }
    }
}
