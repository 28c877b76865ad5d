import Cosim
import Foundation

/// A regression cut into shards, written as files that existing engines run: `jobs.txt` (one
/// complete shell command per shard: GNU parallel, any batch system), a `Makefile` (one target
/// per shard result: `make -j`), `slurm.sbatch` (an array job running line
/// `SLURM_ARRAY_TASK_ID + 1` of jobs.txt) and `plan.json` (what `regress merge` checks against).
struct RegressPlan: Codable {
    var circuit: String
    /// The `normforge` arguments of the whole run; shard i adds `--shard i/S --output shard-i.json`.
    var command: [String]
    /// The items the shards slice: vectors, or the points of an exploration (`unit`).
    var vectors: Int
    /// What `vectors` counts, for the generated files' headers (nil: vectors).
    var unit: String?
    var shards: Int
    var seed: UInt64
    /// Absolute path of the plan directory.
    var directory: URL
    /// Each shard's complete shell command, in shard order.
    var jobs: [String]

    static let planFile = "plan.json"
    static func resultFile(_ shard: Int) -> String { "shard-\(shard).json" }

    /// A plan for `shards` slices of the run `normforge command...` over `vectors` items. The jobs
    /// run the current `normforge` binary from the current directory with the current build cache,
    /// so every shard reuses one model build.
    init(circuit: String, command: [String], vectors: Int, unit: String? = nil, shards: Int, seed: UInt64, directory: String) throws {
        let cwd = FileManager.default.currentDirectoryPath
        let dir = URL(fileURLWithPath: directory, relativeTo: URL(fileURLWithPath: cwd, isDirectory: true)).standardizedFileURL
        guard let binary = Bundle.main.executablePath else { throw BadInput("cannot locate the normforge binary") }
        self.circuit = circuit
        self.command = command
        self.vectors = vectors
        self.unit = unit
        self.shards = shards
        self.seed = seed
        self.directory = dir
        let cache = CacheLocation.defaultDirectory.standardizedFileURL.path
        jobs = (0..<shards).map { shard in
            let arguments = [binary] + command + ["--shard", "\(shard)/\(shards)",
                                                  "--output", dir.appendingPathComponent(Self.resultFile(shard)).path]
            return "cd \(Self.quote(cwd)) && NORMFORGE_CACHE=\(Self.quote(cache)) " + arguments.map(Self.quote).joined(separator: " ")
        }
    }

    /// Writes the four files into the plan directory (created), replacing an older plan and its
    /// results (which the Makefile would otherwise take for this plan's).
    func write() throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path)
            where name.hasPrefix("shard-") && name.hasSuffix(".json") || name.hasPrefix("slurm-") && name.hasSuffix(".out") {
                try FileManager.default.removeItem(at: directory.appendingPathComponent(name))
            }
            try (jobs.joined(separator: "\n") + "\n").write(to: file("jobs.txt"), atomically: true, encoding: .utf8)
            try makefile.write(to: file("Makefile"), atomically: true, encoding: .utf8)
            try sbatch.write(to: file("slurm.sbatch"), atomically: true, encoding: .utf8)
            try JSONOutput.save(try JSONOutput.data(self), to: file(Self.planFile).path)
        } catch {
            throw BadInput("cannot write the plan to \(directory.path): \(error.localizedDescription)")
        }
    }

    /// What the plan command prints: the plan, how each engine runs it, and the merge command
    /// (`normforge <merge> DIR`).
    func instructions(merge: String) -> String {
        """
        planned \(shards) shards of \(vectors) \(unit ?? "vectors") in \(directory.path)
          make -j \(ProcessInfo.processInfo.activeProcessorCount) -f \(directory.path)/Makefile
          parallel < \(directory.path)/jobs.txt
          sbatch \(directory.path)/slurm.sbatch
        then: normforge \(merge) \(directory.path)
        """
    }

    /// The plan in `directory` (`plan.json`); a missing or unreadable one is bad input.
    static func read(directory: URL) throws -> RegressPlan {
        let planURL = directory.appendingPathComponent(planFile)
        guard let planData = try? Data(contentsOf: planURL) else {
            throw BadInput("\(planURL.path) not found: not a plan directory (write one with `normforge regress plan` or `explore plan`)")
        }
        do { return try JSONOutput.decode(RegressPlan.self, from: planData) } catch {
            throw BadInput("\(planURL.path) is not a plan: \(error.localizedDescription)")
        }
    }

    private func file(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// One target per shard result, so `make -j N` runs N shards at a time and a rerun only runs
    /// the shards whose result is missing.
    var makefile: String {
        let results = (0..<shards).map { file(Self.resultFile($0)).path }
        var text = """
            # Generated by `normforge regress plan`: \(shards) shards of \(circuit), \(vectors) \(unit ?? "vectors").
            # make -j N -f \(file("Makefile").path)   then   normforge regress merge \(directory.path)
            .PHONY: all
            all: \(results.joined(separator: " \\\n\t"))

            """
        for (shard, result) in results.enumerated() {
            // `$` is make's escape character: the job's shell text is passed through as written.
            text += "\n\(result):\n\t\(jobs[shard].replacingOccurrences(of: "$", with: "$$"))\n"
        }
        return text
    }

    /// A Slurm array job: task i runs line i + 1 of jobs.txt. Partition, account and time limit
    /// are the user's: add `#SBATCH` lines or pass them to `sbatch`.
    var sbatch: String {
        """
        #!/bin/bash
        # Generated by `normforge regress plan`: \(shards) shards of \(circuit), \(vectors) \(unit ?? "vectors").
        #SBATCH --job-name=normforge-regress
        #SBATCH --array=0-\(shards - 1)
        #SBATCH --output=\(directory.path)/slurm-%A_%a.out
        #SBATCH --ntasks=1
        #SBATCH --cpus-per-task=1
        set -euo pipefail
        eval "$(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" \(Self.quote(file("jobs.txt").path)))"

        """
    }

    /// `text` as one single-quoted shell word.
    static func quote(_ text: String) -> String {
        if !text.isEmpty, text.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) }) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
