import Foundation
import Testing

/// The sharded regression path as users run it: `regress plan`, the plan's jobs run by real
/// engines (GNU make -j, GNU parallel), `regress merge`; a deleted and a corrupted shard named.
@Suite struct RegressCLITests {
    /// A small configuration: two lanes, every legal length up to 16.
    static let configuration = ["--lanes", "2", "--d-max", "16", "--d", "all", "--seed", "5"]
    static let vectors = 900

    private func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("normforge-regress-\(UUID().uuidString)")
    }

    private func shell(_ command: String) throws -> CLITests.Run {
        try CLITests.launch(URL(fileURLWithPath: "/bin/sh"), ["-c", command])
    }

    @Test func planMakeMergeEqualsTheUnshardedRun() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = try CLITests.run(["regress", "plan", "iternorm"] + Self.configuration
                                    + ["--vectors", "\(Self.vectors)", "--shards", "3", "--out", dir.path])
        #expect(plan.status == 0, "\(plan.stderr)")
        let jobs = try String(contentsOf: dir.appendingPathComponent("jobs.txt"), encoding: .utf8)
            .split(separator: "\n")
        #expect(jobs.count == 3)
        #expect(jobs[1].contains("--shard 1/3"))
        let sbatch = try String(contentsOf: dir.appendingPathComponent("slurm.sbatch"), encoding: .utf8)
        #expect(sbatch.contains("#SBATCH --array=0-2"))
        #expect(sbatch.contains("SLURM_ARRAY_TASK_ID + 1"))

        let make = try shell("make -s -j 2 -f '\(dir.path)/Makefile'")
        #expect(make.status == 0, "\(make.stderr)")
        let merge = try CLITests.run(["regress", "merge", dir.path, "--json"])
        #expect(merge.status == 0, "\(merge.stdout)\(merge.stderr)")
        let merged = try CLITests.json(merge.stdout)
        #expect(merged["shards"] as? Int == 3)
        #expect(merged["shards_missing"] as? Int == 0)
        #expect(merged["vectors"] as? Int == Self.vectors)
        #expect(merged["mismatches"] as? Int == 0)
        #expect((merged["vectors_per_cpu_s"] as? Double ?? 0) > 0)

        // The shards' slices are the unsharded run's: same vectors, in the same lengths.
        let whole = try CLITests.run(["cosim", "iternorm"] + Self.configuration + ["--vectors", "\(Self.vectors)", "--json"])
        #expect(whole.status == 0, "\(whole.stderr)")
        let wholeLengths = try #require(try CLITests.json(whole.stdout)["lengths"] as? [[String: Any]])
        var shardLengths: [[String: Any]] = []
        for shard in 0..<3 {
            let data = try Data(contentsOf: dir.appendingPathComponent("shard-\(shard).json"))
            shardLengths += try #require(try CLITests.json(String(decoding: data, as: UTF8.self))["lengths"] as? [[String: Any]])
        }
        /// One length per vector, in order.
        func lengths(_ runs: [[String: Any]]) -> [Int] {
            runs.flatMap { run in Array(repeating: run["d"] as? Int ?? -1, count: run["vectors"] as? Int ?? 0) }
        }
        #expect(lengths(shardLengths) == lengths(wholeLengths))
        #expect(lengths(wholeLengths).count == Self.vectors)
        #expect(Set(lengths(wholeLengths)).count > 1, "the run covers several lengths")
    }

    @Test func missingAndCorruptShardsAreNamed() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = try CLITests.run(["regress", "plan", "iternorm"] + Self.configuration
                                    + ["--vectors", "300", "--shards", "4", "--out", dir.path])
        #expect(plan.status == 0, "\(plan.stderr)")
        // GNU parallel runs jobs.txt as it is.
        let parallel = try shell("parallel -j 2 < '\(dir.path)/jobs.txt' > /dev/null")
        #expect(parallel.status == 0, "\(parallel.stderr)")
        #expect(try CLITests.run(["regress", "merge", dir.path]).status == 0)

        try FileManager.default.removeItem(at: dir.appendingPathComponent("shard-1.json"))
        try Data("{\"shard\": ".utf8).write(to: dir.appendingPathComponent("shard-2.json"))
        let merge = try CLITests.run(["regress", "merge", dir.path, "--json"])
        #expect(merge.status == 1)
        let merged = try CLITests.json(merge.stdout)
        #expect(merged["shards_missing"] as? Int == 1)
        #expect(merged["shards_corrupt"] as? Int == 1)
        let problems = try #require(merged["problems"] as? [String])
        #expect(problems.contains { $0.hasPrefix("shard-1.json missing") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("shard-2.json corrupt") }, "\(problems)")
        #expect(merge.stderr.contains("shard-1.json missing"))

        // A shard result from another slice is corrupt too; a rerun of the Makefile redoes only
        // the missing shard.
        try FileManager.default.copyItem(at: dir.appendingPathComponent("shard-0.json"),
                                        to: dir.appendingPathComponent("shard-3.json.other"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("shard-2.json"))
        try FileManager.default.moveItem(at: dir.appendingPathComponent("shard-3.json.other"),
                                         to: dir.appendingPathComponent("shard-2.json"))
        let again = try shell("make -s -j 2 -f '\(dir.path)/Makefile'")
        #expect(again.status == 0, "\(again.stderr)")
        let second = try CLITests.run(["regress", "merge", dir.path])
        #expect(second.status == 1)
        #expect(second.stdout.contains("shard-2.json corrupt: shard 0/4"), "\(second.stdout)")
        #expect(!second.stdout.contains("shard-1.json"), "shard 1 was rerun")
    }

    @Test(arguments: [
        ["cosim", "iternorm", "--lanes", "2", "--d-max", "8", "--d", "8", "--vectors", "4", "--shard", "4/4"],
        ["cosim", "iternorm", "--lanes", "2", "--d-max", "8", "--d", "8", "--vectors", "4", "--shard", "x"],
        ["cosim", "iternorm", "--lanes", "2", "--d-max", "8", "--d", "8", "--vectors", "2", "--shard", "0/3"],
        ["cosim", "iternorm", "--lanes", "2", "--d-max", "8", "--d", "8,7", "--vectors", "4"],
        ["regress", "plan", "iternorm", "--lanes", "2", "--d-max", "8", "--vectors", "2", "--shards", "3", "--out", "/tmp/x"],
        ["regress", "plan", "iternorm", "--lanes", "2", "--d-max", "8", "--vectors", "2", "--shards", "0", "--out", "/tmp/x"],
        ["regress", "merge", "/nonexistent-plan"],
    ])
    func badShardInputExitsTwo(_ arguments: [String]) throws {
        let r = try CLITests.run(arguments)
        #expect(r.status == 2, "\(arguments): \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    /// `cosim iternorm --json` reports the toolchain and the speed figures.
    @Test func cosimJSONCarriesSpeedAndToolchain() throws {
        let r = try CLITests.run(["cosim", "iternorm", "--lanes", "2", "--d-max", "8", "--d", "8", "--vectors", "40", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty, "no progress on a pipe: \(r.stderr)")
        let json = try CLITests.json(r.stdout)
        #expect((json["verilator_version"] as? String)?.hasPrefix("Verilator") == true)
        #expect((json["vectors_per_s"] as? Double ?? 0) > 0)
        #expect((json["build_s"] as? Double ?? -1) >= 0)
        #expect(json["latency_cycles"] as? Int != nil)
    }
}
