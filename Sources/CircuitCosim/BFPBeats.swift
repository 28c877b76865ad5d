import Golden
import HDL

/// One beat of a BFP block stream as the circuits' ports carry it.
struct BFPBeat {
    /// The scale of the block the beat belongs to.
    let scale: UInt8
    /// P element codes, lane 0 in the low bits.
    let data: BitVector
    /// Whether the beat is its block's last.
    let endsBlock: Bool
}

extension Array where Element == BFPBlock {
    /// The blocks in stream order, `lanes` elements of `elementWidth` bits per beat (`lanes`
    /// divides every block's size).
    func beats(lanes: Int, elementWidth: Int) -> [BFPBeat] {
        var beats: [BFPBeat] = []
        for block in self {
            for start in stride(from: 0, to: block.elements.count, by: lanes) {
                let end = start + lanes
                let data = BitVector(lanes: [UInt64](block.elements[start..<end]), laneWidth: elementWidth)
                beats.append(BFPBeat(scale: block.scale, data: data, endsBlock: end == block.elements.count))
            }
        }
        return beats
    }
}
