import ArgumentParser
import Cosim
import Foundation
import Reports
import Silicon

/// `normforge explore iternorm|plan|merge`: the IterNorm design space over lanes, formats,
/// accumulation and modes, each point co-simulated, mapped to standard cells and timed, run as
/// shard jobs (`make -j`, GNU parallel, Slurm) through the plan files of `regress`.
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Design-space exploration: evaluate points (or a shard of them), plan them as jobs, merge into a table and Pareto plots.",
        subcommands: [ExploreIterNormCommand.self, ExplorePlanCommand.self, ExploreMergeCommand.self])
}

/// The grid of `explore iternorm` and `explore plan iternorm`.
struct IterNormGridOptions: ParsableArguments {
    @Option(help: "Lanes P, comma-separated.")
    var lanes = "4,8,16,32,64"

    @Option(help: "I/O formats, comma-separated (fp32, bf16, fp16).")
    var formats = "fp32,bf16"

    @Option(help: "Accumulate settings, comma-separated (fp32, same, wide).")
    var accumulate = "fp32,wide"

    @Option(help: "Modes, comma-separated (layernorm, rmsnorm).")
    var modes = "layernorm"

    @Option(name: .customLong("d-max"), help: "d_max of the mapped macros (memories are flip-flop arrays: keep it small).")
    var dMax = 64

    @Option(name: .customLong("quoted-d"), help: "The vector length latency and area are quoted at (the macro built for it; memories scaled).")
    var quotedD = 1024

    @Option(help: "Vector buffer slots.")
    var slots = 3

    @Option(help: "Vectors co-simulated per point (at least 2).")
    var vectors = 8

    @Option(help: "Stimulus seed.")
    var seed: UInt64 = 1

    @Option(help: "Liberty library (default: the OSU 0.18 um cells of qflow-tech-osu018).")
    var liberty: String?

    /// The points, in grid order (lanes fastest); a bad value is `BadInput`.
    func points() throws -> [IterNormDesignPoint] {
        func list(_ text: String, _ option: String) throws -> [String] {
            let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !items.isEmpty else { throw BadInput("--\(option) needs at least one value") }
            return items
        }
        guard vectors >= 2 else { throw BadInput("--vectors must be at least 2 (the second gives the streaming rate)") }
        guard quotedD >= 1 else { throw BadInput("--quoted-d must be positive") }
        var points: [IterNormDesignPoint] = []
        for mode in try list(modes, "modes") {
            for format in try list(formats, "formats") {
                for acc in try list(accumulate, "accumulate") {
                    for lane in try list(lanes, "lanes") {
                        let parameters = try IterNormParameters.parse(["--format", format, "--accumulate", acc, "--mode", mode,
                                                                      "--lanes", lane, "--d-max", "\(dMax)", "--slots", "\(slots)"])
                        let macro = try parameters.macro()
                        guard quotedD % macro.config.lanes == 0 else {
                            throw BadInput("--quoted-d \(quotedD) is not a multiple of the lanes \(lane)")
                        }
                        points.append(IterNormDesignPoint(config: macro.config, slots: macro.slots, quotedD: quotedD))
                    }
                }
            }
        }
        return points
    }
}

/// The JSON of one shard of an exploration (`explore iternorm --shard I/N --output F`).
struct ExploreShardResult: Codable {
    var shard: ShardArgument
    var totalPoints: Int
    var points: [IterNormPointResult]
}

/// `explore iternorm [grid] [--shard I/N] [--output F] [--json]`: evaluates the points (or a
/// shard's slice of them) and prints their table.
struct ExploreIterNormCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iternorm",
        abstract: "Evaluate IterNorm design points: co-simulate briefly, map to standard cells, time; print the table and fronts.")

    @OptionGroup var grid: IterNormGridOptions

    @Option(help: "Evaluate only slice I of N of the points.")
    var shard = ShardArgument.whole

    @Option(help: "Write the shard's JSON result here (atomically: a plan job's result).")
    var output: String?

    @Option(name: .customLong("svg-dir"), help: "Write the two Pareto plots (SVG) into this directory.")
    var svgDirectory: String?

    @Flag(help: "Print JSON instead of the table.")
    var json = false

    func run() throws {
        let points = try grid.points()
        let slice = shard.range(of: points.count)
        guard !slice.isEmpty else { throw BadInput("--shard \(shard.description) of \(points.count) points is empty: use fewer shards") }
        let library = try LibertyLibrary.load(grid.liberty)
        let explorer = IterNormExplorer(library: library, synthesizer: ASICSynthesizer(cacheDirectory: CacheLocation.defaultDirectory),
                                        cosimVectors: grid.vectors, seed: grid.seed)
        var results: [IterNormPointResult] = []
        for index in slice {
            do { results.append(try explorer.evaluate(points[index], index: index)) } catch let error as LibertyError {
                throw BadInput("\(error)")
            }
        }
        let document = ExploreShardResult(shard: shard, totalPoints: points.count, points: results)
        try JSONOutput.save(try JSONOutput.data(document), to: output)
        let exploration = IterNormExploration(points: results)
        try ExploreMergeCommand.writePlots(exploration, to: svgDirectory)
        print(json ? try JSONOutput.text(document) : exploration.text)
        if let failure = exploration.failures.first { throw CheckFailed(failure) }
    }
}

/// `explore plan iternorm [grid] --shards S --out DIR`.
struct ExplorePlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Write DIR/jobs.txt, DIR/Makefile, DIR/slurm.sbatch and DIR/plan.json: the points as S shard jobs.",
        subcommands: [ExplorePlanIterNormCommand.self])
}

struct ExplorePlanIterNormCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iternorm", abstract: "Plan `explore iternorm` (same grid options) as S shards of the points.")

    @OptionGroup var grid: IterNormGridOptions

    @Option(help: "Number of shards (jobs).")
    var shards: Int

    @Option(help: "Directory for the plan and the shard results (created).")
    var out: String

    func run() throws {
        let points = try grid.points()
        guard shards >= 1, shards <= points.count else { throw BadInput("--shards must be 1...\(points.count) (the number of points)") }
        _ = try LibertyLibrary.load(grid.liberty)
        let arguments = RegressPlanIterNormCommand.cosimArguments(from: Array(CommandLine.arguments.dropFirst()),
                                                                  without: ["--shards", "--out"])
        let plan = try RegressPlan(circuit: "explore-iternorm", command: ["explore", "iternorm"] + arguments, vectors: points.count,
                                   unit: "points", shards: shards, seed: grid.seed, directory: out)
        try plan.write()
        print(plan.instructions(merge: "explore merge"))
    }
}

/// `explore merge DIR [--json]`: the shard results of a plan, checked (present, well-formed,
/// each exactly its slice), merged into the table, `explore.json` and the two SVG plots in DIR.
struct ExploreMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge a plan's shard results: table, DIR/explore.json, DIR/pareto-*.svg; exit 1 on a missing shard or a failed point.")

    @Argument(help: "The plan directory (`explore plan iternorm --out`).")
    var directory: String

    @Flag(help: "Print the merged exploration as JSON.")
    var json = false

    func run() throws {
        let dir = URL(fileURLWithPath: directory)
        let plan = try RegressPlan.read(directory: dir)
        guard plan.circuit == "explore-iternorm" else { throw BadInput("\(directory) is a plan of \(plan.circuit), not of explore iternorm") }
        var results: [IterNormPointResult] = [], problems: [String] = []
        for index in 0..<plan.shards {
            let name = RegressPlan.resultFile(index)
            guard let data = try? Data(contentsOf: dir.appendingPathComponent(name)) else {
                problems.append("\(name) missing (shard \(index) of \(plan.shards) did not run or did not finish)")
                continue
            }
            guard let shard = try? JSONOutput.decode(ExploreShardResult.self, from: data) else {
                problems.append("\(name) corrupt: not an explore shard result")
                continue
            }
            let slice = ShardArgument(index: index, count: plan.shards).range(of: plan.vectors)
            guard shard.totalPoints == plan.vectors, shard.points.map(\.index) == Array(slice) else {
                problems.append("\(name) does not hold points \(slice) of \(plan.vectors)")
                continue
            }
            results += shard.points
        }
        let exploration = IterNormExploration(points: results)
        try JSONOutput.save(try JSONOutput.data(exploration), to: dir.appendingPathComponent("explore.json").path)
        try Self.writePlots(exploration, to: dir.path)
        print(json ? try JSONOutput.text(exploration) : exploration.text + problems.map { "\nPROBLEM \($0)" }.joined())
        if let problem = problems.first ?? exploration.failures.first { throw CheckFailed(problem) }
    }

    /// The two Pareto plots, as `pareto-area-latency.svg` and `pareto-energy-area.svg`.
    static func writePlots(_ exploration: IterNormExploration, to directory: String?) throws {
        guard let directory, !exploration.points.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try exploration.areaLatencySVG.write(toFile: directory + "/pareto-area-latency.svg", atomically: true, encoding: .utf8)
            try exploration.energyAreaSVG.write(toFile: directory + "/pareto-energy-area.svg", atomically: true, encoding: .utf8)
        } catch {
            throw BadInput("cannot write the plots to \(directory): \(error.localizedDescription)")
        }
    }
}
