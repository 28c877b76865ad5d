import Dispatch
import Foundation
import Synchronization

/// The Verilator runtime (`verilated.cpp`, threads, VCD writer, coverage database) compiled once as a PIC archive
/// and linked into every model library; building it takes 4-9 s, so it lives in the cache.
enum VerilatorRuntime {
    static let sources = ["verilated.cpp", "verilated_threads.cpp", "verilated_vcd_c.cpp", "verilated_cov.cpp"]
    static let archiveName = "libverilated.a"
    static let flags = VerilatorOptions.commonCxxFlags + ["-O2"]

    /// Cache key: the Verilator and compiler versions and the flags.
    static func key(_ toolchain: VerilatorToolchain) -> String {
        let text = (["runtime-v1", toolchain.version, toolchain.root, toolchain.compilerVersion,
                     VerilatorOptions.printHookHeader] + sources + flags)
            .joined(separator: "\n")
        return String(SHA256.hex(text).prefix(32))
    }

    /// Compiles the runtime sources (in parallel) and archives them into `directory`.
    static func build(into directory: URL, toolchain: VerilatorToolchain) throws {
        let objects = sources.map { directory.appendingPathComponent($0.replacingOccurrences(of: ".cpp", with: ".o")).path }
        let hooks = directory.appendingPathComponent(VerilatorOptions.printHookHeaderName)
        try VerilatorOptions.printHookHeader.write(to: hooks, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: hooks) }
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: sources.count) { index in
            let arguments = flags + ["-include", hooks.path] + toolchain.includeFlags
                + ["-c", "\(toolchain.root)/include/\(sources[index])", "-o", objects[index]]
            do {
                let result = try ProcessRunner.run(executable: toolchain.compiler, arguments)
                if !result.succeeded {
                    let message = ProcessFailed(result: result).description
                    failures.withLock { $0.append(message) }
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        if let failure = failures.withLock({ $0.first }) {
            throw CosimError.buildFailed("compiling the Verilator runtime: \(failure)")
        }
        let ar = try ProcessRunner.run(executable: toolchain.archiver,
                                       ["rcs", directory.appendingPathComponent(archiveName).path] + objects)
        guard ar.succeeded else { throw CosimError.buildFailed(ProcessFailed(result: ar).description) }
        for object in objects { try? FileManager.default.removeItem(atPath: object) }
    }
}

