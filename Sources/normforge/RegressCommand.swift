import ArgumentParser
import Foundation

/// `normforge regress plan|merge`: a long co-simulation cut into shards that existing engines run
/// (`make -j`, GNU parallel, a Slurm array), then merged and checked.
struct RegressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regress", abstract: "Sharded regressions: plan the shard jobs, merge their results.",
        subcommands: [RegressPlanCommand.self, RegressMergeCommand.self])
}

struct RegressPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Write DIR/jobs.txt (one shell command per shard), DIR/Makefile (make -j N -f DIR/Makefile), DIR/slurm.sbatch (a Slurm array) and DIR/plan.json.",
        subcommands: [RegressPlanIterNormCommand.self])
}

/// `regress plan iternorm [every cosim iternorm option] --shards S --out DIR`.
struct RegressPlanIterNormCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iternorm",
        abstract: "Plan `cosim iternorm` (same options) as S shards of the vector range.")

    /// Every option of `cosim iternorm`, checked here and passed on to each shard verbatim.
    @OptionGroup var cosim: CosimIterNormCommand

    @Option(help: "Number of shards (jobs).")
    var shards: Int

    @Option(help: "Directory for the plan and the shard results (created).")
    var out: String

    /// The options of this command that are not `cosim iternorm`'s.
    private static let planOnly: Set<String> = ["--shards", "--out"]

    func run() throws {
        guard shards >= 1 else { throw BadInput("--shards must be at least 1") }
        guard cosim.shard == .whole, cosim.output == nil else { throw BadInput("--shard and --output are set per shard by the plan") }
        guard !cosim.bfp.enabled else { throw BadInput("regress plan iternorm takes no --bfp-in") }
        guard cosim.vectors >= shards else { throw BadInput("--shards \(shards) exceeds --vectors \(cosim.vectors): every shard needs a vector") }
        // Parse errors surface here as bad input, not in every job.
        _ = try cosim.parameters.macro()
        _ = try IterNormParameters.lengths(cosim.d, for: try cosim.parameters.config())

        let arguments = Self.cosimArguments(from: Array(CommandLine.arguments.dropFirst()))
        let plan = try RegressPlan(circuit: "iternorm", command: ["cosim", "iternorm"] + arguments, vectors: cosim.vectors,
                                   shards: shards, seed: cosim.seed, directory: out)
        try plan.write()
        print(plan.instructions(merge: "regress merge"))
    }

    /// This command's arguments after `iternorm`, without the plan's own options (`planOnly`).
    static func cosimArguments(from arguments: [String], without planOnly: Set<String> = planOnly) -> [String] {
        guard let start = arguments.firstIndex(of: "iternorm") else { return [] }
        var result: [String] = [], index = start + 1
        while index < arguments.count {
            let argument = arguments[index]
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            if planOnly.contains(name) {
                index += argument.contains("=") ? 1 : 2
                continue
            }
            result.append(argument)
            index += 1
        }
        return result
    }
}

struct RegressMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge a plan's shard results: totals, every mismatch with its shard; exit 1 on a mismatch or a missing or corrupt shard.")

    @Argument(help: "The plan directory (`regress plan --out`).")
    var directory: String

    @Flag(help: "Print the merged report as JSON.")
    var json = false

    func run() throws {
        let merged = try RegressMerge.merge(directory: URL(fileURLWithPath: directory))
        if json {
            print(try JSONOutput.text(merged))
        } else {
            print(merged.summary)
        }
        if !merged.problems.isEmpty || merged.mismatches > 0 {
            throw CheckFailed(merged.problems.first ?? "\(merged.mismatches) mismatching output checks")
        }
    }
}
