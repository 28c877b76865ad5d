import ArgumentParser

/// `normforge synth <circuit>`: the circuits are registered in `CommandRegistry.synth`.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth", abstract: "Synthesize a circuit with Yosys and report its size.", subcommands: CommandRegistry.synth)
}
