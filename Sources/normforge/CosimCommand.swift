import ArgumentParser

/// `normforge cosim <circuit>`: the circuits are registered in `CommandRegistry.cosim`.
struct CosimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cosim", abstract: "Co-simulate a circuit against its golden model.", subcommands: CommandRegistry.cosim)
}
