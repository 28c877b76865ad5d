import BigInt
import Golden

/// An exact nonnegative dyadic rational, numerator * 2^exponent, in big integers.
struct BFPDyadic: Comparable {
    var numerator: BigUInt
    var exponent: Int

    init(_ numerator: BigUInt, _ exponent: Int) {
        self.numerator = numerator
        self.exponent = exponent
    }

    /// Both numerators over the common denominator 2^min(exponents).
    static func aligned(_ a: BFPDyadic, _ b: BFPDyadic) -> (BigUInt, BigUInt, Int) {
        let e = min(a.exponent, b.exponent)
        return (a.numerator << (a.exponent - e), b.numerator << (b.exponent - e), e)
    }

    static func < (a: BFPDyadic, b: BFPDyadic) -> Bool { let (x, y, _) = aligned(a, b); return x < y }
    static func == (a: BFPDyadic, b: BFPDyadic) -> Bool { let (x, y, _) = aligned(a, b); return x == y }
    static func + (a: BFPDyadic, b: BFPDyadic) -> BFPDyadic { let (x, y, e) = aligned(a, b); return BFPDyadic(x + y, e) }
    static func - (a: BFPDyadic, b: BFPDyadic) -> BFPDyadic { let (x, y, e) = aligned(a, b); return BFPDyadic(x - y, e) }
    static func power(_ e: Int) -> BFPDyadic { BFPDyadic(1, e) }
}

/// The third quantizer: FP32 values as exact big-integer dyadic rationals, the shared exponent by
/// comparisons against powers of two, elements by searching the representable grid.
struct BFPRationalReference {
    let format: BFPFormat
    let grid: BFPReferenceGrid

    init(_ format: BFPFormat) {
        self.format = format
        grid = BFPReferenceGrid(format.element)
    }

    /// |x| of a finite Float, from Float's own fields.
    static func magnitude(_ x: Float) -> BFPDyadic {
        let e = Int(x.exponentBitPattern), f = BigUInt(x.significandBitPattern)
        return e == 0 ? BFPDyadic(f, -149) : BFPDyadic(f + (BigUInt(1) << 23), e - 150)
    }

    func quantize(_ xs: [Float], randoms: [UInt32]) -> BFPBlock {
        let k = xs.count
        let nan = BFPBlock(scale: 255, elements: Array(repeating: 0, count: k))
        if xs.contains(where: { !$0.isFinite }) { return nan }
        let mags = xs.map { x -> BFPDyadic in
            format.flushSubnormals && x.isSubnormal ? BFPDyadic(0, 0) : Self.magnitude(x)
        }
        let amax = mags.max()!
        var shared = -127
        if amax.numerator != 0 {
            var l = 0
            switch format.rule {
            case .floor:
                while amax < .power(l) { l -= 1 }
                while !(amax < .power(l + 1)) { l += 1 }
            case .ceil:
                while amax > .power(l) { l += 1 }
                while !(amax > .power(l - 1)) { l -= 1 }
            }
            shared = l - format.element.maxExponent
            if shared > 127 { return nan }
            shared = max(shared, -127)
        }
        let elements = (0..<k).map { i -> UInt64 in
            let v = BFPDyadic(mags[i].numerator, mags[i].exponent - shared)
            return grid.encode(round(v, random: randoms[i]), negative: xs[i].sign == .minus)
        }
        return BFPBlock(scale: UInt8(shared + 127), elements: elements)
    }

    func point(_ p: BFPReferenceGrid.Point) -> BFPDyadic { BFPDyadic(BigUInt(p.significand), p.exponent) }

    func round(_ v: BFPDyadic, random: UInt32) -> BFPReferenceGrid.Point {
        let pts = grid.points
        if !(v < point(grid.maxPoint)) { return grid.maxPoint }
        var lo = 0, hi = pts.count - 1  // largest index with point <= v
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if point(pts[mid]) <= v { lo = mid } else { hi = mid - 1 }
        }
        let below = pts[lo], above = pts[lo + 1]
        let b = point(below), a = point(above)
        if b == v { return below }
        switch format.rounding {
        case .towardZero: return below
        case .nearestEven, .nearestAway:
            let twice = v + v, mid = b + a
            if twice < mid { return below }
            if mid < twice { return above }
            return format.rounding == .nearestAway ? above : (below.isEven ? below : above)
        case .stochastic:
            let (num, den, _) = BFPDyadic.aligned(v - b, a - b)
            let top = (num << format.stochasticBits) / den
            return top + BigUInt(random) >= BigUInt(1) << format.stochasticBits ? above : below
        }
    }
}
