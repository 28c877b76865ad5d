import ArgumentParser

/// `normforge generate <circuit>`: the circuits are registered in `CommandRegistry.generate`.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Write a circuit's SystemVerilog.", subcommands: CommandRegistry.generate)
}
