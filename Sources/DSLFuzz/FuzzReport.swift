/// What a fuzz run (or a merge of shards) found.
public struct FuzzReport: Sendable, Codable {
    public enum FailureKind: String, Sendable, Codable {
        /// A simulator differs from the IR simulator.
        case disagreement
        /// Elaboration or a tool failed where it must not.
        case crash
        /// A mutant's diagnostics are not exactly the expected one.
        case diagnosticMismatch = "diagnostic-mismatch"
        case lint, slang, yosys
    }

    public struct Failure: Sendable, Codable, Hashable {
        public var kind: FailureKind
        public var design: Int?
        public var backend: String?
        public var cycle: Int?
        public var port: String?
        public var message: String
    }

    /// A failing design shrunk to a minimal one that still fails the same way.
    public struct Reproduction: Sendable, Codable, Hashable {
        public var design: Int
        public var backend: String
        public var port: String
        /// First cycle (after warm-up) where the shrunk design disagrees.
        public var cycle: Int
        public var expected: String
        public var actual: String
        /// Statements and expression nodes before and after shrinking.
        public var sizeBefore: Int
        public var sizeAfter: Int
        public var dslSource: String
        public var systemVerilog: String
    }

    public var seed: UInt64
    public var first: Int
    public var designs = 0
    public var batches = 0
    /// Clock cycles simulated per backend, summed over the designs.
    public var cycles = 0
    /// Output comparisons made against the IR simulator, over every backend.
    public var checks = 0
    public var backends: [String]
    public var disagreements = 0
    public var crashes = 0
    /// Illegal mutants checked, and how many of each kind.
    public var mutants = 0
    public var mutantKinds: [String: Int] = [:]
    public var diagnosticMismatches = 0
    public var lintFailures = 0
    public var slangFailures = 0
    public var yosysFailures = 0
    /// The first failures (at most `failureLimit`; the counts above are complete).
    public var failures: [Failure] = []
    public var reproductions: [Reproduction] = []
    /// Construct -> uses over the run's designs.
    public var constructs: [String: Int] = [:]
    public var seconds = 0.0
    /// Where the time went: generation, elaboration, each tool and simulator (summed over batches).
    public var stageSeconds: [String: Double] = [:]

    static let failureLimit = 200

    public init(seed: UInt64, first: Int, backends: [String]) {
        self.seed = seed
        self.first = first
        self.backends = backends
    }

    public var passed: Bool {
        disagreements == 0 && crashes == 0 && diagnosticMismatches == 0 && lintFailures == 0 && slangFailures == 0 && yosysFailures == 0
    }

    /// Records a failure; disagreements are counted by the caller (one per differing output).
    mutating func add(_ failure: Failure) {
        switch failure.kind {
        case .disagreement: break
        case .crash: crashes += 1
        case .diagnosticMismatch: diagnosticMismatches += 1
        case .lint: lintFailures += 1
        case .slang: slangFailures += 1
        case .yosys: yosysFailures += 1
        }
        if failures.count < Self.failureLimit { failures.append(failure) }
    }

    /// The shards of one run as one report: counts and constructs summed, seconds summed (CPU
    /// time of the shards, not wall time), failures in design order.
    public static func merged(_ shards: [FuzzReport]) -> FuzzReport? {
        guard let head = shards.min(by: { $0.first < $1.first }) else { return nil }
        var total = FuzzReport(seed: head.seed, first: head.first, backends: head.backends)
        for s in shards.sorted(by: { $0.first < $1.first }) {
            total.designs += s.designs
            total.batches += s.batches
            total.cycles += s.cycles
            total.checks += s.checks
            total.disagreements += s.disagreements
            total.crashes += s.crashes
            total.mutants += s.mutants
            total.mutantKinds.merge(s.mutantKinds, uniquingKeysWith: +)
            total.diagnosticMismatches += s.diagnosticMismatches
            total.lintFailures += s.lintFailures
            total.slangFailures += s.slangFailures
            total.yosysFailures += s.yosysFailures
            total.failures += s.failures.prefix(max(0, failureLimit - total.failures.count))
            total.reproductions += s.reproductions
            total.constructs.merge(s.constructs, uniquingKeysWith: +)
            total.seconds += s.seconds
            total.stageSeconds.merge(s.stageSeconds, uniquingKeysWith: +)
        }
        return total
    }
}
