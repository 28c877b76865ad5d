import Golden

/// A second, independent FP -> BFP quantizer working on exact `Double` values (every 16-bit and
/// 32-bit source value and every scaled element is exact in a Double): the shared exponent by
/// comparing against powers of two, elements by searching the representable grid.
struct BFPDoubleReference {
    let format: BFPFormat
    let grid: BFPReferenceGrid

    init(_ format: BFPFormat) {
        self.format = format
        grid = BFPReferenceGrid(format.element)
    }

    /// `values` are the source values as Doubles (NaN and infinities included); `negative` their
    /// sign bits (so that -0 is seen); `randoms` the stochastic draws, one per element.
    func quantize(_ values: [Double], negative: [Bool], randoms: [UInt32]) -> BFPBlock {
        let k = values.count
        if values.contains(where: { !$0.isFinite }) {
            return BFPBlock(scale: 255, elements: Array(repeating: 0, count: k))
        }
        let amax = values.map(abs).max()!
        var shared = -127
        if amax > 0 {
            var l = 0
            switch format.rule {
            case .floor:  // 2^l <= amax < 2^(l+1)
                while pow2(l) > amax { l -= 1 }
                while pow2(l + 1) <= amax { l += 1 }
            case .ceil:   // 2^(l-1) < amax <= 2^l
                while pow2(l) < amax { l += 1 }
                while pow2(l - 1) >= amax { l -= 1 }
            }
            shared = l - format.element.maxExponent
            if shared > 127 { return BFPBlock(scale: 255, elements: Array(repeating: 0, count: k)) }
            shared = max(shared, -127)
        }
        var out: [UInt64] = []
        for i in 0..<k {
            let v = abs(values[i]) / pow2(shared)
            out.append(grid.encode(roundToGrid(v, random: randoms[i]), negative: negative[i]))
        }
        return BFPBlock(scale: UInt8(shared + 127), elements: out)
    }

    func roundToGrid(_ v: Double, random: UInt32) -> BFPReferenceGrid.Point {
        if v >= grid.maxPoint.value { return grid.maxPoint }  // MX clamps
        let i = grid.floorIndex(v)
        let lo = grid.points[i], hi = grid.points[i + 1]
        if lo.value == v { return lo }
        switch format.rounding {
        case .towardZero: return lo
        case .nearestEven, .nearestAway:
            let dl = v - lo.value, dh = hi.value - v
            if dl < dh { return lo }
            if dh < dl { return hi }
            return format.rounding == .nearestAway ? hi : (lo.isEven ? lo : hi)
        case .stochastic:
            let r = format.stochasticBits
            let fraction = (v - lo.value) / (hi.value - lo.value)  // exact: the gap is a power of two
            let top = UInt64((fraction * pow2(r)).rounded(.down))
            return top + UInt64(random) >= UInt64(1) << UInt64(r) ? hi : lo
        }
    }
}
