import Dispatch
import Foundation
import Synchronization

/// Turns SystemVerilog into one shared library: `verilator --cc`, a generated shim, and a single
/// translation unit compiled with `g++ -shared` against the cached runtime archive.
struct VerilatorModelBuilder {
    let toolchain: VerilatorToolchain
    let design: VerilogDesign
    let options: VerilatorOptions
    let runtimeArchive: URL

    /// The tool runs a build performs, for `BuildStatistics`.
    enum Step { case verilate, compile }

    /// Writes the sources into `scratch` and runs `verilator --cc` there; returns the generated
    /// C++ directory and the ports, checked against the design's port list.
    func verilate(in scratch: URL, count: (Step) -> Void = { _ in }) throws -> (objectDir: URL, ports: [VerilatedPort]) {
        var sourcePaths: [String] = []
        for source in design.sources {
            let url = scratch.appendingPathComponent(source.fileName)
            try source.text.write(to: url, atomically: false, encoding: .utf8)
            // Relative paths: they end up in `$fatal` messages and should read `Top.sv:12`.
            sourcePaths.append(source.fileName)
        }
        let objectDir = scratch.appendingPathComponent("obj")
        let verilate = try ProcessRunner.run(
            executable: toolchain.verilator,
            options.verilatorFlags + ["--top-module", design.topModule, "-Mdir", objectDir.path] + sourcePaths,
            in: scratch)
        count(.verilate)
        guard verilate.succeeded else {
            throw CosimError.buildFailed("verilator rejected \(design.topModule):\n" + verilate.stderr + verilate.stdout)
        }
        let header = try String(contentsOf: objectDir.appendingPathComponent("V\(design.topModule).h"), encoding: .utf8)
        let generated = try VerilatedHeader.ports(in: header, top: design.topModule)
        return (objectDir, try VerilatedHeader.match(declared: design.ports, generated: generated, top: design.topModule))
    }

    /// The generated model's C++ files, for a one-translation-unit build.
    static func modelSources(in objectDir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: objectDir.path)
            .filter { $0.hasSuffix(".cpp") }.sorted().map { objectDir.appendingPathComponent($0).path }
    }

    /// A fresh name per build: a rebuilt entry (after corruption) must not be mistaken by the
    /// dynamic loader for the library already loaded from the old path.
    static func newLibraryName(_ top: String) -> String {
        "libV\(top)-\(UUID().uuidString.prefix(8).lowercased()).so"
    }

    /// Parallel compiler processes for one model: the machine's cores.
    static var compileJobs: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Below this much generated C++ a model is one translation unit: a second unit would parse the
    /// runtime headers again for little parallel work.
    static let bytesPerUnit = 2_000_000

    /// `files` (the shim first) grouped into at most `jobs` translation units of similar size,
    /// one per `bytesPerUnit` of source: largest file first into the lightest unit. The shim
    /// stays in unit 0.
    static func translationUnits(_ files: [String], jobs: Int) throws -> [[String]] {
        let sizes = try files.map { path -> Int in
            (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        }
        let total = sizes.reduce(0, +)
        let count = max(1, min(jobs, total / bytesPerUnit))
        var units = [[String]](repeating: [], count: count), load = [Int](repeating: 0, count: count)
        units[0].append(files[0])
        load[0] = sizes[0]
        for index in files.indices.dropFirst().sorted(by: { sizes[$0] > sizes[$1] }) {
            let lightest = load.indices.min { load[$0] < load[$1] }!
            units[lightest].append(files[index])
            load[lightest] += sizes[index]
        }
        // Each unit in name order (the shim first), as a one-unit build includes them.
        return units.map { unit in unit.first == files[0] ? [files[0]] + unit.dropFirst().sorted() : unit.sorted() }
    }

    /// The library an entry holds.
    static func library(in entry: URL) throws -> URL {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: entry.path)) ?? []
        guard let name = names.first(where: { $0.hasSuffix(".so") }) else {
            throw CosimError.cacheUnusable("cache entry \(entry.path) holds no library")
        }
        return entry.appendingPathComponent(name)
    }

    /// Builds into `entry` (an empty staging directory): only the library stays there; the
    /// intermediate files go to a scratch directory that is removed afterwards.
    func build(into entry: URL, count: (Step) -> Void) throws {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("normforge-verilate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        let progress = ProgressLine.standardError
        progress.begin("verilating \(design.topModule)")
        let (objectDir, ports) = try verilate(in: scratch, count: count)
        progress.end()
        let hooks = scratch.appendingPathComponent(VerilatorOptions.printHookHeaderName)
        try VerilatorOptions.printHookHeader.write(to: hooks, atomically: false, encoding: .utf8)
        let shim = scratch.appendingPathComponent("normforge_shim.cpp")
        let sources = try Self.modelSources(in: objectDir)
        let scheduler = ShimGenerator.schedulerName(top: design.topModule) + "(V\(design.topModule)___024root* vlSelf) {"
        let directEval = sources.contains { path in
            (try? String(contentsOfFile: path, encoding: .utf8))?.contains(scheduler) ?? false
        }
        try ShimGenerator.source(top: design.topModule, ports: ports, clock: design.clock, directEval: directEval)
            .write(to: shim, atomically: false, encoding: .utf8)
        // Small models compile fastest as one translation unit (the runtime headers are parsed
        // once); big ones (Verilator splits its C++ at `--output-split` statements) as one unit
        // per core, compiled in parallel and linked together.
        let units = try Self.translationUnits([shim.path] + sources, jobs: Self.compileJobs)
        let objects = try units.enumerated().map { index, files in
            let unitURL = scratch.appendingPathComponent("unit\(index).cpp")
            try (files.map { "#include \"\($0)\"" }.joined(separator: "\n") + "\n")
                .write(to: unitURL, atomically: false, encoding: .utf8)
            return unitURL.path
        }
        let compileFlags = options.modelCxxFlags + ["-include", hooks.path] + toolchain.includeFlags + ["-I\(objectDir.path)"]
        let failures = Mutex<[String]>([])
        let finished = Atomic<Int>(0)
        progress.begin("compiling \(design.topModule) (\(options.optimization))", total: objects.count, unit: "units")
        DispatchQueue.concurrentPerform(iterations: objects.count) { index in
            do {
                let run = try ProcessRunner.run(executable: toolchain.compiler,
                                                compileFlags + ["-c", objects[index], "-o", objects[index] + ".o"])
                if !run.succeeded { failures.withLock { $0.append(run.stderr) } }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
            progress.update(finished.add(1, ordering: .relaxed).newValue)
        }
        progress.end()
        if let failure = failures.withLock({ $0.first }) {
            count(.compile)
            throw CosimError.buildFailed("compiling the model of \(design.topModule):\n" + failure)
        }
        let library = entry.appendingPathComponent(Self.newLibraryName(design.topModule))
        let compile = try ProcessRunner.run(
            executable: toolchain.compiler,
            ["-shared", "-o", library.path] + objects.map { $0 + ".o" } + [runtimeArchive.path,
             "-Wl,--exclude-libs,ALL", "-Wl,-Bsymbolic"] + VerilatorOptions.linkLibraries)
        count(.compile)
        guard compile.succeeded else {
            throw CosimError.buildFailed("linking the model of \(design.topModule):\n" + compile.stderr)
        }
    }
}
