import HDL

/// A read-only table indexed by `index` (entry `i` at index `i`; missing entries are 0), as a
/// balanced mux tree over the index bits: the per-d constants of the IterNorm macro.
func muxLookup(_ index: Signal, _ entries: [UInt64], width: Int) -> Signal {
    var level = (0..<(1 << index.width)).map { i in
        encodingConst(i < entries.count ? entries[i] : 0, width: width)
    }
    var bit = 0
    while level.count > 1 {
        let select = index[bit]
        level = (0..<(level.count / 2)).map { i in mux(select, level[2 * i + 1], level[2 * i]) }
        bit += 1
    }
    return level[0]
}

/// `entries[i]` where `index == i` (the first entry otherwise): the selection of one of a few
/// signals by a small index, as a chain of muxes.
func muxLookup(_ index: Signal, _ entries: [Signal]) -> Signal {
    var value = entries[0]
    for i in 1..<entries.count { value = mux(index == i, entries[i], value) }
    return value
}

/// A constant encoding of `width` bits.
func encodingConst(_ bits: UInt64, width: Int) -> Signal {
    Const(BitVector(words: [bits], width: width))
}

/// A signed constant of `width` bits.
func signedConst(_ value: Int, width: Int) -> Signal { Const(value, .sint(width)) }
