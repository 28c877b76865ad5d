import Golden
import Testing

/// The stimulus is a function of (seed, index): shards of a run draw exactly its vectors.
@Suite struct IterNormStimulusTests {
    static let config = try! IterNormConfig(format: .bf16, lanes: 4, dMax: 64)

    @Test func vectorDependsOnSeedAndIndexOnly() {
        var inOrder = IterNormStimulus(Self.config, seed: 11)
        let forward = (0..<200).map { inOrder.vector($0, d: 32) }
        var reversed = IterNormStimulus(Self.config, seed: 11)
        let backward = (0..<200).reversed().map { reversed.vector($0, d: 32) }.reversed()
        #expect(Array(backward) == forward)
        // A shard starting at 150 from a fresh generator.
        var shard = IterNormStimulus(Self.config, seed: 11)
        #expect((150..<200).map { shard.vector($0, d: 32) } == Array(forward[150..<200]))
        var other = IterNormStimulus(Self.config, seed: 12)
        #expect(other.vector(100, d: 32).x != forward[100].x)
    }

    @Test func edgeClassesComeFirstAndRecur() {
        var s = IterNormStimulus(Self.config, seed: 3)
        let kinds = IterNormStimulus.edgeKinds.map(\.rawValue), period = IterNormStimulus.edgePeriod
        #expect((0..<kinds.count).map { s.vector($0, d: 8).kind } == kinds)
        let recurring = (1...kinds.count).map { s.vector($0 * period, d: 8).kind }
        #expect(recurring == kinds)
        let random = (kinds.count..<400).filter { $0 % period != 0 }.map { s.vector($0, d: 8).kind }
        #expect(Set(random) == ["N(0,1)", "N(mu,sigma)", "student-t3"])
    }

    @Test func everyVectorOfOneLengthSharesTheParameters() {
        var s = IterNormStimulus(Self.config, seed: 5)
        let a = s.vector(20, d: 16), b = s.vector(900, d: 16)
        #expect(a.gamma != nil && a.gamma == b.gamma && a.beta == b.beta)
        #expect(s.parameters(d: 16).gamma == a.gamma)
        #expect(s.vector(21, d: 32).gamma?.count == 32)
    }

    @Test func lengthsAreDrawnPerBlock() {
        let s = IterNormStimulus(Self.config, seed: 9)
        let lengths = Array(stride(from: 4, through: 64, by: 4))
        let block = IterNormStimulus.lengthBlock
        var seen = Set<Int>()
        for b in 0..<400 {
            let d = s.length(of: b * block, among: lengths)
            #expect(s.length(of: b * block + block - 1, among: lengths) == d)
            seen.insert(d)
        }
        #expect(seen == Set(lengths))
        #expect(s.length(of: 12345, among: [48]) == 48)
    }
}
