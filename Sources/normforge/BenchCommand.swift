import ArgumentParser

/// `normforge bench ...`: throughput and size benchmarks that print figures and write JSON.
/// Each benchmark is a subcommand in its own file (`Bench<Name>Command.swift`).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Run a benchmark and report its figures.",
        subcommands: [
            BenchCosimCommand.self,
            BenchSoftFloatCommand.self,
            BenchFPUnitsCommand.self,
        ])
}
