import Foundation

/// The precision study: for each vector length and input distribution, seeded random vectors in
/// `format` are normalized by every method and compared element by element with an FP64
/// LayerNorm of the same (rounded) inputs.
///
/// Methods: `iternorm_<form>_k<K>` (the IterNorm golden model, K = 1...8, both forms),
/// `fisr_<n>` (FISR with n Newton steps in IterNorm's pipeline), `naive` (sqrt then divide),
/// `correctly_rounded` (the FP64 result rounded once to `format`: the floor any method can reach).
public struct PrecisionEngine: Sendable {
    /// The nine OPT embedding lengths the paper counts over.
    public static let optDims = [768, 1024, 2048, 2560, 4096, 5120, 7168, 9216, 12288]
    /// The macro's range 64...1024 in powers of two.
    public static let macroDims = [64, 128, 256, 512, 1024]

    public var format: FloatFormat
    public var accumulate: FloatFormat
    public var dims: [Int]
    public var distributions: [PrecisionDistribution]
    public var trials: Int
    public var seed: UInt64
    public var lanes: Int
    public var iterations: ClosedRange<Int>
    public var fisrSteps: [Int]
    /// The IterNorm variant counted against FISR.
    public var headlineIterations: Int
    public var headlineForm: IterNormForm
    /// IterNorm in the wide mode (`IterNormConfig.wide`, scalar form only); FISR and the naive
    /// LayerNorm keep `accumulate`.
    public var wide: Bool

    /// The default accumulate (arithmetic) format: the format itself, except FP16, whose range
    /// cannot hold the squared norm of the OPT lengths (IterNorm needs 32 d <= 2^15): FP32.
    public static func defaultAccumulate(for f: FloatFormat) -> FloatFormat {
        f.exponentBits < 8 ? .fp32 : f
    }

    /// Validates every parameter (throws `IterNormError` with the reason).
    public init(format: FloatFormat, accumulate: FloatFormat? = nil,
                dims: [Int] = PrecisionEngine.optDims + PrecisionEngine.macroDims,
                distributions: [PrecisionDistribution] = PrecisionDistribution.allCases,
                trials: Int = 12, seed: UInt64 = 1, lanes: Int = 64, iterations: ClosedRange<Int> = 1...8,
                fisrSteps: [Int] = [1, 2, 3], wide: Bool = false) throws(IterNormError) {
        let a = accumulate ?? PrecisionEngine.defaultAccumulate(for: format)
        guard trials >= 1 else { throw IterNormError("trials must be >= 1, got \(trials)") }
        guard !dims.isEmpty, !distributions.isEmpty else { throw IterNormError("need at least one d and one distribution") }
        guard !fisrSteps.isEmpty, fisrSteps.allSatisfy({ (0...8).contains($0) }) else {
            throw IterNormError("FISR Newton steps must be in 0...8")
        }
        let defaults = try IterNormConfig(format: format, accumulate: a, lanes: lanes, dMax: lanes)
        for d in dims {
            _ = try IterNormConfig(format: format, accumulate: a, lanes: lanes, dMax: d).constants(d: d)
            if wide { _ = try IterNormConfig(format: format, lanes: lanes, dMax: d, wide: true).constants(d: d) }
        }
        guard iterations.lowerBound >= 1, iterations.upperBound <= 8 else {
            throw IterNormError("iterations must lie in 1...8")
        }
        self.format = format
        self.accumulate = a
        // 1024 is both an OPT length and the macro's top: keep each d once, in order.
        var seen = Set<Int>()
        self.dims = dims.filter { seen.insert($0).inserted }
        self.distributions = distributions
        self.trials = trials
        self.seed = seed
        self.lanes = lanes
        self.iterations = iterations
        self.fisrSteps = fisrSteps
        self.headlineIterations = iterations.contains(defaults.iterations) ? defaults.iterations : iterations.upperBound
        self.headlineForm = defaults.form
        self.wide = wide
    }

    /// The IterNorm forms run: both, or the scalar form alone in the wide mode.
    var forms: [IterNormForm] { wide ? [.scalar] : IterNormForm.allCases }

    /// Method names in report order.
    public var methodNames: [String] {
        var names: [String] = []
        for form in forms { for k in iterations { names.append("iternorm_\(form.rawValue)_k\(k)") } }
        names += fisrSteps.map { "fisr_\($0)" }
        return names + ["naive", "correctly_rounded"]
    }

    /// Runs every (distribution, d) cell, in parallel on the available cores; `progress` is called
    /// after each cell with (cells done, cells total, a label of the cell).
    public func run(progress: @escaping @Sendable (Int, Int, String) -> Void = { _, _, _ in }) async throws -> PrecisionReport {
        var cells: [(PrecisionDistribution, Int)] = []
        for dist in distributions { for d in dims { cells.append((dist, d)) } }
        // Largest first, so that the last cells running in parallel are the short ones.
        cells.sort { $0.1 > $1.1 }
        let total = cells.count
        let workers = Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)
        var results: [String: [Int: [String: ErrorAccumulator]]] = [:]
        try await withThrowingTaskGroup(of: (PrecisionDistribution, Int, [String: ErrorAccumulator]).self) { group in
            var next = 0
            var done = 0
            func submit() {
                let (dist, d) = cells[next]
                next += 1
                group.addTask { (dist, d, try self.cell(dist, d: d)) }
            }
            while next < Swift.min(workers, total) { submit() }
            while let (dist, d, errors) = try await group.next() {
                results[dist.rawValue, default: [:]][d] = errors
                done += 1
                progress(done, total, "\(format.name) d=\(d) \(dist.rawValue)")
                if next < total { submit() }
            }
        }
        return report(results)
    }

    /// Errors of every method over `trials` vectors of length `d` from `dist`.
    func cell(_ dist: PrecisionDistribution, d: Int) throws -> [String: ErrorAccumulator] {
        let f = format
        var iterNorms: [(String, IterNorm)] = []
        for form in forms {
            for k in iterations {
                let config = try IterNormConfig(format: f, accumulate: wide ? nil : accumulate, lanes: lanes, dMax: d,
                                                iterations: k, form: form, affine: false, wide: wide)
                iterNorms.append(("iternorm_\(form.rawValue)_k\(k)", IterNorm(config)))
            }
        }
        let pipeline = try IterNormConfig(format: f, accumulate: accumulate, lanes: lanes, dMax: d, affine: false)
        var totals: [String: ErrorAccumulator] = [:]
        for trial in 0..<trials {
            var rng = SeededRandom(seed: cellSeed(dist, d: d, trial: trial))
            let x = dist.sample(d, &rng).map { f.fromDouble($0) }
            let reference = ReferenceNorm.normalize(x.map(f.toDouble))
            let ulps = reference.map { f.ulp(at: $0) }
            func record(_ name: String, _ z: [UInt64]) {
                var acc = ErrorAccumulator()
                for i in 0..<d { acc.add(f.toDouble(z[i]), reference: reference[i], ulp: ulps[i]) }
                totals[name, default: ErrorAccumulator()].merge(acc)
            }
            for (name, model) in iterNorms { record(name, try model.normalize(x: x)) }
            for steps in fisrSteps { record("fisr_\(steps)", try FISR.normalize(x, pipeline: pipeline, newtonSteps: steps)) }
            record("naive", NaiveLayerNorm.normalize(x, format: f, accumulate: accumulate))
            record("correctly_rounded", reference.map { f.fromDouble($0) })
        }
        return totals
    }

    /// A distinct, reproducible seed per (distribution, d, trial), independent of run order.
    func cellSeed(_ dist: PrecisionDistribution, d: Int, trial: Int) -> UInt64 {
        var mix = SplitMix64(seed: seed)
        var h = mix.next()
        for v in [UInt64(PrecisionDistribution.allCases.firstIndex(of: dist)!), UInt64(d), UInt64(trial)] {
            mix = SplitMix64(seed: h ^ v)
            h = mix.next()
        }
        return h
    }


    func report(_ results: [String: [Int: [String: ErrorAccumulator]]]) -> PrecisionReport {
        let headline = distributions.contains(.normal) ? PrecisionDistribution.normal : distributions[0]
        let iterName = "iternorm_\(headlineForm.rawValue)_k\(headlineIterations)"
        var dimsOut: [PrecisionDim] = []
        for d in dims {
            var byDist: [String: [String: PrecisionErrors]] = [:]
            for dist in distributions {
                var methods = results[dist.rawValue]?[d]?.mapValues(\.errors) ?? [:]
                if let rounded = methods["correctly_rounded"]?.meanAbsError, rounded > 0 {
                    methods = methods.mapValues { errors in
                        var e = errors
                        e.meanErrorVsRounded = errors.meanAbsError / rounded
                        return e
                    }
                }
                byDist[dist.rawValue] = methods
            }
            dimsOut.append(PrecisionDim(d: d, opt: PrecisionEngine.optDims.contains(d),
                                        methods: byDist[headline.rawValue] ?? [:], distributions: byDist))
        }
        let optEntries = dimsOut.filter(\.opt)
        func wins(_ dist: String) -> [String: Int] {
            var counts: [String: Int] = [:]
            for steps in fisrSteps {
                counts[String(steps)] = optEntries.filter { entry in
                    guard let it = entry.distributions[dist]?[iterName], let fisr = entry.distributions[dist]?["fisr_\(steps)"]
                    else { return false }
                    return it.meanAbsError < fisr.meanAbsError
                }.count
            }
            return counts
        }
        var byDistribution: [String: [String: Int]] = [:]
        for dist in distributions { byDistribution[dist.rawValue] = wins(dist.rawValue) }
        return PrecisionReport(
            format: format.name, accumulate: wide ? "wide" : accumulate.name, metric: "mean_abs_error", trials: trials, seed: seed,
            lanes: lanes, headlineDistribution: headline.rawValue, distributions: distributions.map(\.rawValue),
            iternormIterations: headlineIterations, iternormForm: headlineForm.rawValue, dims: dimsOut,
            iternormWinsVsFisr: wins(headline.rawValue), iternormWinsVsFisrByDistribution: byDistribution,
            optLengths: optEntries.count)
    }
}
