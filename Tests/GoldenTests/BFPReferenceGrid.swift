import Golden

/// The representable nonnegative magnitudes of an element kind, listed from the definitions
/// (value formulas of the OCP MX spec), independently of the golden model's field arithmetic.
/// Each entry keeps the magnitude as an exact integer times a power of two, plus its encoding.
struct BFPReferenceGrid {
    struct Point {
        /// magnitude = significand * 2^exponent
        let significand: Int
        let exponent: Int
        let encoding: UInt64
        var value: Double { Double(significand) * pow2(exponent) }
        /// Parity that "ties to even" looks at: the last stored significand bit.
        var isEven: Bool { encoding & 1 == 0 }
    }

    let kind: BFPElementKind
    /// Ascending by magnitude.
    let points: [Point]

    init(_ kind: BFPElementKind) {
        self.kind = kind
        var pts: [Point] = []
        switch kind {
        case .int(let m):
            for n in 0..<(1 << m) { pts.append(Point(significand: n, exponent: 1 - m, encoding: UInt64(n))) }
        case .float(let f):
            let fb = f.fractionBits, bias = (1 << (f.exponentBits - 1)) - 1
            for e in 0..<(1 << f.exponentBits) {
                for frac in 0..<(1 << fb) {
                    let enc = UInt64(e << fb | frac)
                    let allOnesExp = e == (1 << f.exponentBits) - 1
                    switch f.specials {
                    case .ieee where allOnesExp: continue
                    case .nanOnlyAllOnes where allOnesExp && frac == (1 << fb) - 1: continue
                    default: break
                    }
                    if e == 0 {
                        pts.append(Point(significand: frac, exponent: 1 - bias - fb, encoding: enc))
                    } else {
                        pts.append(Point(significand: (1 << fb) + frac, exponent: e - bias - fb, encoding: enc))
                    }
                }
            }
        }
        points = pts.sorted { $0.value < $1.value }
    }

    var maxPoint: Point { points.last! }

    /// The encoding of a signed magnitude point.
    func encode(_ p: Point, negative: Bool) -> UInt64 {
        switch kind {
        case .int(let m):
            let mask = (UInt64(1) << UInt64(m + 1)) - 1
            return negative ? (~p.encoding &+ 1) & mask : p.encoding
        case .float(let f):
            return negative ? p.encoding | (UInt64(1) << UInt64(f.width - 1)) : p.encoding
        }
    }

    /// Index of the largest point <= v (v >= 0, v <= max).
    func floorIndex(_ v: Double) -> Int {
        var lo = 0, hi = points.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if points[mid].value <= v { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}

func pow2(_ e: Int) -> Double { Double(sign: .plus, exponent: e, significand: 1) }
