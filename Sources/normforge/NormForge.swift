import ArgumentParser
import Cosim
import Foundation

/// `normforge`: generate, co-simulate, measure and synthesize normalization circuits.
///
/// Exit codes: 0 success, 1 mismatch or failed check, 2 bad input or an unusable environment
/// (a missing tool, an unusable cache directory).
struct NormForge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normforge",
        abstract: "Normalization circuits for AI accelerators: generate, co-simulate, measure.",
        subcommands: CommandRegistry.subcommands)
}

/// Exit status shared by every subcommand.
enum ExitStatus: Int32 {
    case success = 0
    case failedCheck = 1
    case badInput = 2
}

/// An error the CLI reports as bad input (exit 2) with a one-line message.
struct BadInput: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// A failed check (a mismatch, a lint failure): exit 1 after the report has been printed.
struct CheckFailed: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

@main
enum Main {
    static func main() async {
        ProjectTools.activate()
        do {
            var command = try NormForge.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as BadInput {
            FileHandle.standardError.write(Data("normforge: error: \(error.message)\n".utf8))
            exit(ExitStatus.badInput.rawValue)
        } catch let error as ToolNotFound {
            // Not a failed check: nothing ran. Same status as bad input, with the setup hint.
            FileHandle.standardError.write(Data("normforge: error: \(error)\n".utf8))
            exit(ExitStatus.badInput.rawValue)
        } catch CosimError.cacheUnusable(let message) {
            FileHandle.standardError.write(Data("normforge: error: build cache unusable: \(message) (set NORMFORGE_CACHE)\n".utf8))
            exit(ExitStatus.badInput.rawValue)
        } catch let error as CheckFailed {
            FileHandle.standardError.write(Data("normforge: \(error.message)\n".utf8))
            exit(ExitStatus.failedCheck.rawValue)
        } catch {
            // ArgumentParser reports usage errors with EX_USAGE (64); NormForge promises 2.
            let code = NormForge.exitCode(for: error)
            if code == .success {
                NormForge.exit(withError: error)
            }
            FileHandle.standardError.write(Data((NormForge.fullMessage(for: error) + "\n").utf8))
            exit(code == .validationFailure ? ExitStatus.badInput.rawValue : ExitStatus.failedCheck.rawValue)
        }
    }
}
