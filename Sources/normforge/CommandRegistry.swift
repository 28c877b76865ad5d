import ArgumentParser

/// The top-level subcommands, one file each beside this one.
enum CommandRegistry {
    static let subcommands: [ParsableCommand.Type] = [
        FormatsCommand.self,
        BenchCommand.self,
    ]
}
