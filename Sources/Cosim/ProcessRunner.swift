import Dispatch
import Foundation

/// The outcome of one external command.
public struct ProcessResult: Sendable {
    public let executable: String
    public let arguments: [String]
    public let exitCode: Int32
    public let stdout: String
    public let stderr: String
    public let seconds: Double

    public var succeeded: Bool { exitCode == 0 }
    /// The command line, for error messages.
    public var commandLine: String { ([executable] + arguments).joined(separator: " ") }
}

/// A command that exited non-zero, with what it printed.
public struct ProcessFailed: Error, CustomStringConvertible, Sendable {
    public let result: ProcessResult
    public var description: String {
        let output = (result.stderr + result.stdout).trimmingCharacters(in: .whitespacesAndNewlines)
        return "`\(result.commandLine)` exited with \(result.exitCode)" + (output.isEmpty ? "" : ":\n\(output)")
    }
}

/// Runs external tools (verilator, g++, iverilog, vvp, yosys) and captures their output.
///
/// Waits with a termination handler and a semaphore: `Process.waitUntilExit()` costs ~50 ms per
/// call on Linux (COSIM-NOTES), which adds up over a test suite.
public enum ProcessRunner {
    /// Runs `tool` with `arguments` in `directory`; returns the result whatever the exit code.
    public static func run(_ tool: ExternalTool, _ arguments: [String], in directory: URL? = nil,
                           locator: ToolLocator = ToolLocator()) throws -> ProcessResult {
        try run(executable: locator.path(of: tool), arguments, in: directory)
    }

    /// Runs the executable at an absolute path; returns the result whatever the exit code.
    public static func run(executable: String, _ arguments: [String],
                           in directory: URL? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice

        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        let start = DispatchTime.now()
        try process.run()
        // Drain both pipes concurrently so a chatty tool cannot block on a full pipe buffer.
        let collected = OutputCollector()
        let group = DispatchGroup()
        for (index, pipe) in [outPipe, errPipe].enumerated() {
            DispatchQueue.global().async(group: group) {
                collected.set(index, pipe.fileHandleForReading.readDataToEndOfFile())
            }
        }
        group.wait()
        done.wait()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return ProcessResult(executable: executable, arguments: arguments,
                             exitCode: process.terminationStatus,
                             stdout: String(decoding: collected.get(0), as: UTF8.self),
                             stderr: String(decoding: collected.get(1), as: UTF8.self),
                             seconds: seconds)
    }

    /// Runs `tool` and throws `ProcessFailed` unless it exits 0.
    @discardableResult
    public static func check(_ tool: ExternalTool, _ arguments: [String], in directory: URL? = nil,
                             locator: ToolLocator = ToolLocator()) throws -> ProcessResult {
        let result = try run(tool, arguments, in: directory, locator: locator)
        guard result.succeeded else { throw ProcessFailed(result: result) }
        return result
    }
}

/// Two byte buffers filled from two reader threads.
private final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var buffers = [Data(), Data()]
    func set(_ index: Int, _ data: Data) { lock.lock(); buffers[index] = data; lock.unlock() }
    func get(_ index: Int) -> Data { lock.lock(); defer { lock.unlock() }; return buffers[index] }
}
