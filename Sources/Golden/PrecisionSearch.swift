import Foundation

/// An adversarial search for IterNorm's worst input: seeded hill climbing on the input vector
/// that maximizes the largest output error, in ulps of the output format, against the FP64
/// reference (`ReferenceNorm`, which centres exactly).
///
/// One chain starts from each start class (the precision study's distributions, the stimulus's
/// finite edge classes, near-equal vectors); each step applies one move to the chain's current
/// vector and keeps the result when its error is at least as large. The moves are the ways an
/// input can stress a normalization: nudging an element by ulps, duplicating a value, putting an
/// element on the mean, moving the mean, scaling one element or the whole vector by a power of
/// two, negating an element, planting an outlier. A search is a function of its parameters.
public struct PrecisionSearch: Sendable {
    /// The configuration searched (no affine parameters: gamma = 1, beta = 0 is the hardest case
    /// for the normalized value itself).
    public let config: IterNormConfig
    public let d: Int
    /// Model evaluations in all, spread evenly over the start classes.
    public let evaluations: Int
    public let seed: UInt64

    /// The start classes, in chain order.
    public static let startClasses: [String] =
        PrecisionDistribution.allCases.map(\.rawValue) + ["near-equal"] + searchedEdgeKinds.map(\.rawValue)

    /// The stimulus's edge classes with finite, non-degenerate vectors.
    static let searchedEdgeKinds = IterNormStimulus.edgeKinds.filter {
        ![.nan, .inf, .zeros, .signedZeros, .allEqual, .nearEqual].contains($0)
    }

    public init(config: IterNormConfig, d: Int, evaluations: Int, seed: UInt64) throws(IterNormError) {
        try config.validate(d: d)
        guard !config.affine else { throw IterNormError("the search runs without affine parameters (affine=false)") }
        guard evaluations >= Self.startClasses.count else {
            throw IterNormError("evaluations must be at least \(Self.startClasses.count) (one per start class), got \(evaluations)")
        }
        self.config = config
        self.d = d
        self.evaluations = evaluations
        self.seed = seed
    }

    /// The worst input one chain found.
    public struct Finding: Sendable, Hashable, Codable {
        public var startClass: String
        public var evaluations: Int
        /// Steps whose move was kept.
        public var accepted: Int
        /// The start vector's error and the final one, in output ulps.
        public var startUlpError: Double
        public var worstUlpError: Double
        /// The output element with the worst error.
        public var worstElement: Int
        /// The worst vector, as hexadecimal encodings in the format (kept for the worst chain of
        /// a result only).
        public var x: [String]?
    }

    /// Every chain's finding and the worst of them.
    public struct Result: Sendable, Hashable, Codable {
        public var format: String
        public var mode: String
        public var accumulate: String
        public var lanes: Int
        public var dMax: Int
        public var d: Int
        public var seed: UInt64
        public var evaluations: Int
        public var worstUlpError: Double
        public var worstStartClass: String
        public var seconds: Double
        public var chains: [Finding]
    }

    /// Runs every chain, in parallel over the cores; `progress(done, total)` after each chain.
    public func run(progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Result {
        let start = Date()
        let classes = Self.startClasses
        let perChain = evaluations / classes.count
        var findings = [Finding?](repeating: nil, count: classes.count)
        try await withThrowingTaskGroup(of: (Int, Finding).self) { group in
            let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
            var next = 0, done = 0
            func submit() {
                let index = next
                next += 1
                let budget = perChain + (index < evaluations % classes.count ? 1 : 0)
                group.addTask { (index, try self.chain(index, budget: budget)) }
            }
            while next < min(workers, classes.count) { submit() }
            while let (index, finding) = try await group.next() {
                findings[index] = finding
                done += 1
                progress(done, classes.count)
                if next < classes.count { submit() }
            }
        }
        var chains = findings.compactMap { $0 }
        let worstIndex = chains.indices.max { chains[$0].worstUlpError < chains[$1].worstUlpError }!
        let worst = chains[worstIndex]
        for i in chains.indices where i != worstIndex { chains[i].x = nil }
        return Result(format: config.format.name, mode: config.mode.rawValue,
                      accumulate: config.wide ? "wide" : config.accumulate.name, lanes: config.lanes, dMax: config.dMax,
                      d: d, seed: seed, evaluations: chains.reduce(0) { $0 + $1.evaluations },
                      worstUlpError: worst.worstUlpError, worstStartClass: worst.startClass,
                      seconds: Date().timeIntervalSince(start), chains: chains)
    }

    /// The largest error of `x`'s outputs in output ulps, and where (infinite when the model
    /// returns a non-finite value for a finite reference).
    public func error(of x: [UInt64]) throws -> (ulps: Double, element: Int) {
        let f = config.format
        let z = try IterNorm(config).normalize(x: x)
        let reference = ReferenceNorm.normalize(x.map(f.toDouble), mode: config.mode, eps: config.eps)
        var worst = (ulps: 0.0, element: 0)
        for i in 0..<x.count {
            let value = f.toDouble(z[i])
            let e = value.isFinite ? abs(value - reference[i]) / f.ulp(at: reference[i]) : .infinity
            if e > worst.ulps { worst = (e, i) }
        }
        return worst
    }

    func chain(_ index: Int, budget: Int) throws -> Finding {
        var rng = SeededRandom(seed: seed, stream: UInt64(index) &+ 0x5345_4152_4348)
        var x = startVector(Self.startClasses[index], &rng)
        var current = try error(of: x)
        let first = current.ulps
        var accepted = 0
        for _ in 1..<max(1, budget) {
            guard let candidate = move(x, &rng), candidate != x else { continue }
            let e = try error(of: candidate)
            if e.ulps >= current.ulps {
                x = candidate
                current = e
                accepted += 1
            }
        }
        let f = config.format
        let digits = (f.width + 3) / 4
        return Finding(startClass: Self.startClasses[index], evaluations: budget, accepted: accepted,
                       startUlpError: first, worstUlpError: current.ulps, worstElement: current.element,
                       x: x.map { hex($0, digits: digits) })
    }

    func startVector(_ name: String, _ rng: inout SeededRandom) -> [UInt64] {
        let f = config.format
        if let dist = PrecisionDistribution(rawValue: name) {
            return dist.sample(d, &rng).map { f.fromDouble($0) }
        }
        var stimulus = IterNormStimulus(config, seed: rng.next())
        let kind = IterNormEdgeKind(rawValue: name)!
        return stimulus.edge(kind, d: d).x
    }

    /// One random move, or nil when it would leave the finite numbers.
    func move(_ x: [UInt64], _ rng: inout SeededRandom) -> [UInt64]? {
        let f = config.format
        var y = x
        let i = Int(rng.next() % UInt64(d))
        func finite(_ v: Double) -> UInt64? {
            let bits = f.fromDouble(v)
            return f.isFinite(bits) ? bits : nil
        }
        switch rng.next() % 8 {
        case 0:  // nudge by 1..4 ulps either way (encoding steps; crossing zero is allowed)
            let steps = Double(1 + rng.next() % 4) * (rng.next() & 1 == 0 ? 1 : -1)
            let v = f.toDouble(x[i])
            guard let bits = finite(v + steps * f.ulp(at: v)) else { return nil }
            y[i] = bits
        case 1:  // duplicate another element's value
            y[i] = x[Int(rng.next() % UInt64(d))]
        case 2:  // put the element on the (rounded) mean, give or take an ulp or two
            let mean = x.map(f.toDouble).reduce(0, +) / Double(d)
            let offset = Double(Int(rng.next() % 5) - 2) * f.ulp(at: mean)
            guard let bits = finite(mean + offset) else { return nil }
            y[i] = bits
        case 3:  // move the mean: add one offset to every element
            let values = x.map(f.toDouble)
            let spread = values.map(abs).max() ?? 1
            let delta = spread * Double(sign: rng.next() & 1 == 0 ? .plus : .minus,
                                        exponent: Int(rng.next() % 40) - 20, significand: 1 + rng.nextUnit())
            for j in 0..<d {
                guard let bits = finite(values[j] + delta) else { return nil }
                y[j] = bits
            }
        case 4:  // scale one element by 2^k, |k| <= 40
            let k = Int(rng.next() % 81) - 40
            guard let bits = finite(f.toDouble(x[i]) * Double(sign: .plus, exponent: k, significand: 1)) else { return nil }
            y[i] = bits
        case 5:  // scale the whole vector by 2^k, |k| <= 8
            let k = Int(rng.next() % 17) - 8
            for j in 0..<d {
                guard let bits = finite(f.toDouble(x[j]) * Double(sign: .plus, exponent: k, significand: 1)) else { return nil }
                y[j] = bits
            }
        case 6:  // negate
            y[i] = x[i] ^ f.signMask
        default:  // plant an outlier of either sign, 2^0..2^40 times the largest magnitude
            let largest = x.map { abs(f.toDouble($0)) }.max() ?? 1
            let scale = Double(sign: .plus, exponent: Int(rng.next() % 41), significand: 1 + rng.nextUnit())
            guard let bits = finite((rng.next() & 1 == 0 ? 1 : -1) * max(largest, f.ulp(at: 0)) * scale) else { return nil }
            y[i] = bits
        }
        return y
    }

    private func hex(_ bits: UInt64, digits: Int) -> String {
        let s = String(bits, radix: 16)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }
}
