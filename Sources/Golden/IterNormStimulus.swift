/// One IterNorm input: the vector and the affine parameters it is normalized with.
public struct IterNormVector: Sendable, Hashable {
    /// What kind of input this is (a distribution or an edge class), for reports.
    public let kind: String
    public let x: [UInt64]
    public let gamma: [UInt64]?
    public let beta: [UInt64]?
}

/// The edge classes of IterNorm's stimulus; the raw value names the class in reports.
public enum IterNormEdgeKind: String, CaseIterable, Sendable {
    case zeros
    case allEqual = "all-equal"
    case nan
    case inf
    case oneHuge = "one-huge"
    case nearMax = "near-max"
    case subnormal
    case hugeAndTiny = "huge-and-tiny"
    case meanAboveSpread = "mean>>spread"
    case outliers
    case signedZeros = "signed-zeros"
    /// One value everywhere but about one element in 64 raised by one or two ulps: the
    /// centring's hardest cancellation (an FP64 reference that rounds the mean is wrong here).
    case nearEqual = "near-equal"
    /// Two opposite outliers far above a body of values paired around its mean, some exactly on
    /// it: the sum cancels to the body's, whose elements nearest the mean need it exactly (the
    /// class that broke the wide mode's rounded sum, issue 27).
    case splitOutliers = "split-outliers"
}

/// Seeded stimulus for IterNorm: random vectors of several distributions and every edge class of
/// the spec (zeros, all-equal, NaN/Inf, one huge element, near-overflow, subnormals, huge and tiny
/// mixed, mean much larger than spread, heavy tails). Vector `i` is a function of (seed, i, d)
/// alone, so any slice of a run (a shard) draws exactly the vectors the whole run would; every
/// vector of one length carries the same gamma and beta (the macro loads them once).
public struct IterNormStimulus: Sendable {
    public let config: IterNormConfig
    public let seed: UInt64
    private var rng: SeededRandom
    private var parameters: [Int: (gamma: [UInt64]?, beta: [UInt64]?)] = [:]

    public init(_ config: IterNormConfig, seed: UInt64) {
        self.config = config
        self.seed = seed
        self.rng = SeededRandom(seed: seed)
    }

    /// The affine parameters of every vector of length `d` (nil for the parts the configuration
    /// lacks): gamma near 1, beta near 0, drawn from their own stream.
    public mutating func parameters(d: Int) -> (gamma: [UInt64]?, beta: [UInt64]?) {
        if let known = parameters[d] { return known }
        let f = config.format
        var r = SeededRandom(seed: seed, stream: ~UInt64(d))
        let gamma = config.hasGamma ? (0..<d).map { _ in f.fromDouble(r.nextNormal(mean: 1, stddev: 0.25)) } : nil
        let beta = config.hasBeta ? (0..<d).map { _ in f.fromDouble(r.nextNormal(mean: 0, stddev: 0.5)) } : nil
        parameters[d] = (gamma, beta)
        return (gamma, beta)
    }

    /// The edge classes, in the order a stream cycles through them.
    public static let edgeKinds = IterNormEdgeKind.allCases

    /// Vectors drawing their length from a list (`length(of:among:)`) keep one length for blocks
    /// of this many consecutive indices, so a simulator streams them without reconfiguring.
    public static let lengthBlock = 256

    /// The length of vector `index` in a stream over several lengths: a function of (seed,
    /// index), uniform over `lengths`, constant over blocks of `lengthBlock` indices.
    public func length(of index: Int, among lengths: [Int]) -> Int {
        guard lengths.count > 1 else { return lengths.first ?? 0 }
        var r = SeededRandom(seed: seed, stream: 0x4C45_4E47_5448 ^ UInt64(index / Self.lengthBlock) << 16)
        return lengths[Int(r.next() % UInt64(lengths.count))]
    }

    /// A stream's vectors `edgePeriod * k` (k >= 1) are edge classes too, in turn: a long
    /// regression revisits every class with fresh random draws (~3% of its vectors).
    public static let edgePeriod = 32

    /// Vector `index` of a mixed stream: the edge classes first, then random N(0,1), N(mu,sigma)
    /// and heavy-tailed vectors in turn, with an edge class every `edgePeriod` vectors.
    public mutating func vector(_ index: Int, d: Int) -> IterNormVector {
        rng = SeededRandom(seed: seed, stream: UInt64(index))
        let kinds = Self.edgeKinds
        if index < kinds.count { return edge(kinds[index], d: d) }
        if index % Self.edgePeriod == 0 { return edge(kinds[(index / Self.edgePeriod - 1) % kinds.count], d: d) }
        switch index % 3 {
        case 0: return make("N(0,1)", d: d) { $0.nextNormal() }
        case 1:
            let mu = rngUnit() * 20 - 10, sigma = 0.01 + rngUnit() * 3
            return make("N(mu,sigma)", d: d) { $0.nextNormal(mean: mu, stddev: sigma) }
        default: return make("student-t3", d: d) { $0.nextStudentT(nu: 3) }
        }
    }

    /// A vector of edge class `edge`.
    public mutating func edge(_ edge: IterNormEdgeKind, d: Int) -> IterNormVector {
        let f = config.format
        let maxF = f.toDouble(f.maxFinite(sign: false))
        let minSub = f.toDouble(1)
        let kind = edge.rawValue
        switch edge {
        case .zeros: return make(kind, d: d) { _ in 0 }
        case .allEqual:
            let v = rngUnit() * 200 - 100
            return make(kind, d: d) { _ in v }
        case .nan, .inf:
            var vec = make(kind, d: d) { $0.nextNormal() }
            var x = vec.x
            let special = edge == .nan ? f.canonicalNaN ?? 0 : f.infinity(sign: rng.next() & 1 == 1) ?? 0
            x[Int(rng.next() % UInt64(d))] = special
            vec = IterNormVector(kind: kind, x: x, gamma: vec.gamma, beta: vec.beta)
            return vec
        case .oneHuge:
            let at = Int(rng.next() % UInt64(d))
            var i = -1
            return make(kind, d: d) { r in i += 1; return i == at ? maxF : r.nextNormal() }
        case .nearMax:
            return make(kind, d: d) { r in (r.next() & 1 == 1 ? 1 : -1) * maxF * (0.5 + 0.5 * r.nextUnit()) }
        case .subnormal:
            return make(kind, d: d) { r in Double(Int(r.next() % 64) - 32) * minSub }
        case .hugeAndTiny:
            return make(kind, d: d) { r in
                r.next() & 1 == 1 ? maxF * r.nextUnit() / 16 : minSub * Double(r.next() % 16)
            }
        case .meanAboveSpread:
            let mu = 1000 * (rngUnit() + 1)
            return make(kind, d: d) { r in r.nextNormal(mean: mu, stddev: mu / 512) }
        case .outliers:
            return make(kind, d: d) { r in r.next() % 64 == 0 ? r.nextNormal() * 5000 : r.nextNormal() }
        case .signedZeros:
            return make(kind, d: d) { r in r.next() & 1 == 1 ? -0.0 : 0.0 }
        case .nearEqual:
            let base = f.fromDouble(rngUnit() * 200 - 100)
            let vec = make(kind, d: d) { _ in 0 }
            let x = (0..<d).map { _ in rng.next() % 64 == 0 ? base + 1 + rng.next() % 2 : base }
            return IterNormVector(kind: kind, x: x, gamma: vec.gamma, beta: vec.beta)
        case .splitOutliers:
            // c +- k 2^-12 is exact in every format, so the body's mean is c exactly.
            let outlier = Double(sign: .plus, exponent: 3 * f.maxExponent / 4, significand: 1)
            let c = (rng.next() & 1 == 1 ? 1 : -1) * 0x1.8p-4, step = 0x1p-12
            var pending: Double?
            let vec = make(kind, d: d) { r in
                if let next = pending { pending = nil; return next }
                let k = Double(Int(r.next() % 17) - 8)
                pending = c - k * step
                return c + k * step
            }
            var x = vec.x
            x[0] = f.fromDouble(outlier)
            x[d - 1] = f.fromDouble(-outlier)
            return IterNormVector(kind: kind, x: x, gamma: vec.gamma, beta: vec.beta)
        }
    }

    private mutating func rngUnit() -> Double { rng.nextUnit() }

    /// A vector drawn from `sample` (rounded to the format) with the parameters for its length.
    private mutating func make(_ kind: String, d: Int, _ sample: (inout SeededRandom) -> Double) -> IterNormVector {
        let f = config.format
        let x = (0..<d).map { _ in f.fromDouble(sample(&rng)) }
        let (gamma, beta) = parameters(d: d)
        return IterNormVector(kind: kind, x: x, gamma: gamma, beta: beta)
    }
}
