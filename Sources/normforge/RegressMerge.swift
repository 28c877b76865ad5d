import Foundation

/// `regress merge`: every shard result of a plan read back and checked against the plan (present,
/// well-formed, covering exactly its slice), then added up.
struct RegressMerge: Codable {
    /// One mismatch of the regression: its shard, and the global vector index within the run.
    struct ShardMismatch: Codable {
        var shard: Int
        var vector: Int?
        var cycle: Int
        var port: String
        var message: String
    }

    var directory: String
    var circuit: String
    var shards: Int
    var shardsMissing: Int
    var shardsCorrupt: Int
    var vectors: Int
    var plannedVectors: Int
    var mismatches: Int
    var cycles: Int
    var cpuS: Double
    var vectorsPerCpuS: Double
    /// The longest shard's wall time, and the model build time (0 when every shard found it cached).
    var maxShardWallS: Double
    var buildS: Double
    var mismatchDetails: [ShardMismatch]
    /// Missing or corrupt shard files, named: each makes the merge fail.
    var problems: [String]

    static func merge(directory: URL) throws -> RegressMerge {
        let plan = try RegressPlan.read(directory: directory)
        var merged = RegressMerge(directory: directory.path, circuit: plan.circuit, shards: plan.shards, shardsMissing: 0,
                                  shardsCorrupt: 0, vectors: 0, plannedVectors: plan.vectors, mismatches: 0, cycles: 0,
                                  cpuS: 0, vectorsPerCpuS: 0, maxShardWallS: 0, buildS: 0, mismatchDetails: [], problems: [])
        for index in 0..<plan.shards {
            let name = RegressPlan.resultFile(index)
            guard let data = try? Data(contentsOf: directory.appendingPathComponent(name)) else {
                merged.shardsMissing += 1
                merged.problems.append("\(name) missing (shard \(index) of \(plan.shards) did not run or did not finish)")
                continue
            }
            let result: IterNormRunSummary
            do { result = try JSONOutput.decode(IterNormRunSummary.self, from: data) } catch {
                merged.shardsCorrupt += 1
                merged.problems.append("\(name) corrupt: not a shard result (\(Self.reason(error)))")
                continue
            }
            let slice = ShardArgument(index: index, count: plan.shards).range(of: plan.vectors)
            let covered = result.firstVector ..< result.firstVector + result.vectors
            guard result.shard == ShardArgument(index: index, count: plan.shards), result.totalVectors == plan.vectors,
                  covered == slice else {
                merged.shardsCorrupt += 1
                merged.problems.append("\(name) corrupt: shard \(result.shard.description) covering vectors \(covered) of \(result.totalVectors), the plan gives shard \(index)/\(plan.shards) vectors \(slice) of \(plan.vectors)")
                continue
            }
            merged.vectors += result.vectors
            merged.mismatches += result.mismatches
            merged.cycles += result.cycles
            merged.cpuS += result.cpuS
            merged.maxShardWallS = max(merged.maxShardWallS, result.wallS)
            merged.buildS = max(merged.buildS, result.buildS)
            merged.mismatchDetails += result.mismatchDetails.map {
                ShardMismatch(shard: index, vector: $0.vector, cycle: $0.cycle, port: $0.port, message: $0.message)
            }
        }
        merged.vectorsPerCpuS = merged.cpuS > 0 ? Double(merged.vectors) / merged.cpuS : 0
        return merged
    }

    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "no \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "bad \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted: return "not valid JSON"
        default: return error.localizedDescription
        }
    }

    /// The human-readable report.
    var summary: String {
        var lines = [
            "regression    \(circuit), \(directory)",
            "shards        \(shards - shardsMissing - shardsCorrupt) of \(shards) merged (\(shardsMissing) missing, \(shardsCorrupt) corrupt)",
            "vectors       \(vectors) of \(plannedVectors) planned",
            "mismatches    \(mismatches)",
            "cycles        \(cycles)",
            String(format: "cpu           %.1f s, %.0f vectors per CPU second (longest shard %.1f s wall, model build %.1f s)",
                   cpuS, vectorsPerCpuS, maxShardWallS, buildS),
        ]
        for problem in problems { lines.append("error         \(problem)") }
        for m in mismatchDetails { lines.append("  shard \(m.shard), vector \(m.vector.map(String.init) ?? "-"), cycle \(m.cycle), \(m.port): \(m.message)") }
        lines.append("result        " + (problems.isEmpty && mismatches == 0 ? "bit-exact: 0 mismatches in \(vectors) vectors"
                                         : "FAILED"))
        return lines.joined(separator: "\n")
    }
}
