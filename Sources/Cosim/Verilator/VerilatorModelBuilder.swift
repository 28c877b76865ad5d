import Foundation

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

        let (objectDir, ports) = try verilate(in: scratch, count: count)
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
        // One translation unit: the model's files are small and one compiler process is faster
        // than Verilator's per-file make on 2 cores.
        let unit = ([shim.path] + sources)
            .map { "#include \"\($0)\"" }.joined(separator: "\n") + "\n"
        let unitURL = scratch.appendingPathComponent("unit.cpp")
        try unit.write(to: unitURL, atomically: false, encoding: .utf8)

        let library = entry.appendingPathComponent(Self.newLibraryName(design.topModule))
        let compile = try ProcessRunner.run(
            executable: toolchain.compiler,
            options.modelCxxFlags + ["-include", hooks.path] + toolchain.includeFlags + ["-I\(objectDir.path)", "-shared", "-o", library.path,
                                                              unitURL.path, runtimeArchive.path,
                                                              "-Wl,--exclude-libs,ALL", "-Wl,-Bsymbolic"]
                + VerilatorOptions.linkLibraries)
        count(.compile)
        guard compile.succeeded else {
            throw CosimError.buildFailed("compiling the model of \(design.topModule):\n" + compile.stderr)
        }
    }
}
