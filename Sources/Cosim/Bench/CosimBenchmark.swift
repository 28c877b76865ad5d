import Foundation
import Golden
import HDL

/// Figures of one co-simulation benchmark run (JSON keys as `normforge bench cosim --json` prints).
public struct CosimBenchmarkResult: Sendable, Codable {
    public var design: String
    /// Cycles simulated by the in-process bridge and by the C++ harness.
    public var cycles: Int
    /// Cycles simulated by Icarus (fewer: it is ~100x slower).
    public var icarusCycles: Int
    public var inprocessCyclesPerS: Double
    public var cppCyclesPerS: Double
    /// The same harness calling the model's scheduler directly, as the bridge's shim does.
    public var cppDirectCyclesPerS: Double
    public var icarusCyclesPerS: Double
    /// In-process over C++ harness throughput.
    public var inprocessVsCpp: Double
    /// In-process over the direct-scheduler C++ harness throughput.
    public var inprocessVsCppDirect: Double
    /// In-process over Icarus throughput.
    public var inprocessVsIcarus: Double
    /// Seconds to build the model with an empty model cache (runtime archive already built).
    public var compileColdS: Double
    /// Seconds to get the same model again from the cache.
    public var compileCachedS: Double
    /// Seconds spent building the Verilator runtime archive in this run (0 when it was cached).
    public var runtimeBuildS: Double
    /// Verilator compiles performed by the cached request (must be 0).
    public var cachedVerilatorRuns: Int
    public var verilatorVersion: String

    enum CodingKeys: String, CodingKey {
        case design, cycles
        case icarusCycles = "icarus_cycles"
        case inprocessCyclesPerS = "inprocess_cycles_per_s"
        case cppCyclesPerS = "cpp_cycles_per_s"
        case cppDirectCyclesPerS = "cpp_direct_cycles_per_s"
        case icarusCyclesPerS = "icarus_cycles_per_s"
        case inprocessVsCpp = "inprocess_vs_cpp"
        case inprocessVsCppDirect = "inprocess_vs_cpp_direct"
        case inprocessVsIcarus = "inprocess_vs_icarus"
        case compileColdS = "compile_cold_s"
        case compileCachedS = "compile_cached_s"
        case runtimeBuildS = "runtime_build_s"
        case cachedVerilatorRuns = "cached_verilator_runs"
        case verilatorVersion = "verilator_version"
    }
}

/// Measures the same model three ways in one run: the in-process Swift bridge, the hand-written
/// C++ Verilator harness (`testbenches/verilator/pipelined_mac_harness.cpp`, the limit), and the
/// Icarus self-checking testbench on vector files; plus cold and cached model build times.
/// Every loop checks its outputs against the reference model: a mismatch fails the benchmark.
///
/// Rates are cycles per CPU second (thread CPU time for the two Verilator loops, child-process
/// CPU time for `vvp`): the machine is shared, and time spent descheduled is nobody's cost.
public struct CosimBenchmark: Sendable {
    public let testbenches: URL
    public let cycles: Int
    public let icarusCycles: Int
    /// Rounds of the in-process and C++ loops; each reports its best round.
    public let repetitions: Int

    public init(testbenches: URL, cycles: Int = 5_000_000, icarusCycles: Int = 100_000, repetitions: Int = 3) {
        self.testbenches = testbenches
        self.cycles = cycles
        self.icarusCycles = icarusCycles
        self.repetitions = max(1, repetitions)
    }

    public func run(progress: (String) -> Void = { _ in }) throws -> CosimBenchmarkResult {
        guard cycles > 0, icarusCycles > 0, repetitions > 0 else {
            throw CosimError.badPortAccess("cycle counts must be positive")
        }
        let design = try PipelinedMacReference.design(testbenches: testbenches)
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("normforge-bench-cosim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        // Cold: an empty model cache; the runtime archive comes from the shared cache and is
        // timed on its own when it has to be built.
        progress("building the Verilator runtime archive (if not cached)")
        let runtimeCache = try VerilatorBuildCache(directory: scratch.appendingPathComponent("warm"),
                                                   runtimeDirectory: CacheLocation.defaultDirectory)
        let runtimeStart = Date()
        _ = try runtimeCache.runtimeArchive()
        let runtimeSeconds = runtimeCache.statistics.runtimeBuilds > 0 ? Date().timeIntervalSince(runtimeStart) : 0

        progress("compiling \(design.topModule) cold")
        let modelCache = scratch.appendingPathComponent("models")
        let cold = try VerilatorBuildCache(directory: modelCache, runtimeDirectory: CacheLocation.defaultDirectory)
        let coldStart = Date()
        let library = try cold.library(for: design)
        let coldSeconds = Date().timeIntervalSince(coldStart)
        let cached = try VerilatorBuildCache(directory: modelCache, runtimeDirectory: CacheLocation.defaultDirectory)
        let cachedStart = Date()
        _ = try cached.library(for: design)
        let cachedSeconds = Date().timeIntervalSince(cachedStart)

        progress("building the C++ harness")
        let harness = try buildCppHarness(design, toolchain: cold.toolchain, runtimeArchive: cold.runtimeArchive(),
                                          scratch: scratch.appendingPathComponent("harness"))
        // Alternate the two and keep each one's best run: the machine is shared, and a load
        // spike should not decide the ratio.
        var inprocess = 0.0, cpp = 0.0, cppDirect = 0.0
        for round in 1...repetitions {
            progress("in-process bridge: \(cycles) cycles (round \(round) of \(repetitions))")
            inprocess = max(inprocess, try runInProcess(VerilatorModel(design, library: library)))
            progress("C++ harness: \(cycles) cycles (round \(round) of \(repetitions))")
            cpp = max(cpp, try runCppHarness(harness, direct: false))
            cppDirect = max(cppDirect, try runCppHarness(harness, direct: true))
        }

        progress("Icarus: \(icarusCycles) cycles")
        let icarus = try runIcarus(design, scratch: scratch.appendingPathComponent("icarus"))

        return CosimBenchmarkResult(
            design: design.topModule, cycles: cycles, icarusCycles: icarusCycles,
            inprocessCyclesPerS: inprocess, cppCyclesPerS: cpp, cppDirectCyclesPerS: cppDirect,
            icarusCyclesPerS: icarus, inprocessVsCpp: inprocess / cpp, inprocessVsCppDirect: inprocess / cppDirect,
            inprocessVsIcarus: inprocess / icarus,
            compileColdS: coldSeconds, compileCachedS: cachedSeconds, runtimeBuildS: runtimeSeconds,
            cachedVerilatorRuns: cached.statistics.verilatorRuns, verilatorVersion: cold.toolchain.version)
    }

    /// The Swift loop: the same stimulus, reference model and per-cycle work as the C++ harness,
    /// through typed port pointers as the C++ code uses the model's members.
    private func runInProcess(_ model: VerilatorModel) throws -> Double {
        let rst = try model.port("rst").storage(as: UInt8.self), valid = try model.port("in_valid").storage(as: UInt8.self)
        let a = try model.port("a").storage(as: UInt32.self), b = try model.port("b").storage(as: UInt32.self)
        let c = try model.port("c").storage(as: UInt64.self), y = try model.port("y").storage(as: UInt64.self)
        rst.pointee = 1
        model.step(2)
        rst.pointee = 0
        valid.pointee = 1
        var random = SplitMix64(seed: 1)
        var expected: UInt64 = 0
        var mismatches = 0
        let start = CPUClock.threadSeconds()
        for _ in 0..<cycles {
            let x = random.next(), addend = random.next()
            a.pointee = UInt32(truncatingIfNeeded: x)
            b.pointee = UInt32(truncatingIfNeeded: x >> 32)
            c.pointee = addend
            model.step()
            if y.pointee != expected { mismatches += 1 }
            expected = PipelinedMacReference.result(x: x, c: addend)
        }
        let seconds = CPUClock.threadSeconds() - start
        try model.checkError()
        guard mismatches == 0 else {
            throw CosimError.simulationError("in-process benchmark loop saw \(mismatches) mismatches")
        }
        return Double(cycles) / seconds
    }

    /// Builds the hand-written harness against the same generated model and runtime.
    private func buildCppHarness(_ design: VerilogDesign, toolchain: VerilatorToolchain, runtimeArchive: URL,
                                 scratch: URL) throws -> URL {
        let harness = testbenches.appendingPathComponent("verilator/pipelined_mac_harness.cpp")
        guard FileManager.default.fileExists(atPath: harness.path) else {
            throw CosimError.invalidDesign(design.topModule, "missing C++ harness \(harness.path)")
        }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let options = VerilatorOptions()
        let builder = VerilatorModelBuilder(toolchain: toolchain, design: design, options: options,
                                            runtimeArchive: runtimeArchive)
        let (objectDir, _) = try builder.verilate(in: scratch)
        let hooks = scratch.appendingPathComponent(VerilatorOptions.printHookHeaderName)
        try VerilatorOptions.printHookHeader.write(to: hooks, atomically: false, encoding: .utf8)
        let unit = try ([harness.path] + VerilatorModelBuilder.modelSources(in: objectDir))
            .map { "#include \"\($0)\"" }.joined(separator: "\n") + "\n"
        let unitURL = scratch.appendingPathComponent("harness_unit.cpp")
        try unit.write(to: unitURL, atomically: false, encoding: .utf8)
        let executable = scratch.appendingPathComponent("harness")
        let compile = try ProcessRunner.run(
            executable: toolchain.compiler,
            options.modelCxxFlags + ["-include", hooks.path] + toolchain.includeFlags
                + ["-I\(objectDir.path)", "-o", executable.path, unitURL.path, runtimeArchive.path]
                + VerilatorOptions.linkLibraries)
        guard compile.succeeded else { throw CosimError.buildFailed("C++ harness:\n" + compile.stderr) }
        return executable
    }

    private func runCppHarness(_ executable: URL, direct: Bool) throws -> Double {
        let run = try ProcessRunner.run(executable: executable.path, [String(cycles)] + (direct ? ["direct"] : []))
        guard run.succeeded else { throw ProcessFailed(result: run) }
        struct HarnessOutput: Decodable { let cycles: Int; let seconds: Double; let mismatches: Int }
        let output = try JSONDecoder().decode(HarnessOutput.self, from: Data(run.stdout.utf8))
        guard output.mismatches == 0 else {
            throw CosimError.simulationError("C++ harness saw \(output.mismatches) mismatches")
        }
        return Double(output.cycles) / output.seconds
    }

    /// Runs the self-checking testbench twice, on no vectors and on all of them, so that the
    /// figure measures simulation rather than process start and elaboration.
    private func runIcarus(_ design: VerilogDesign, scratch: URL) throws -> Double {
        var vectors = TestVectors(design: design)
        try vectors.append(["rst": 1, "in_valid": 0], cycles: 2)
        var random = SplitMix64(seed: 1)
        var history: [UInt64] = [0, 0]
        for _ in 0..<icarusCycles {
            let x = random.next(), addend = random.next()
            // The check before this vector's edge sees the result of the vector two back.
            let expected = history.removeFirst()
            try vectors.append(vector: .init(
                inputs: [BitVector(UInt64(0), width: 1), BitVector(UInt64(1), width: 1),
                         BitVector(x & 0xFFFF_FFFF, width: 32), BitVector(x >> 32, width: 32), BitVector(addend, width: 64)],
                expected: [nil, BitVector(expected, width: 64)], cycles: 1))
            history.append(PipelinedMacReference.result(x: x, c: addend))
        }
        let runner = IcarusRunner()
        try runner.prepare(vectors, in: scratch)
        let image = try runner.compile(design, in: scratch)
        let emptyStart = CPUClock.childrenSeconds()
        _ = try runner.simulate(image, vectors: vectors, in: scratch, vectorLimit: 0)
        let fullStart = CPUClock.childrenSeconds()
        let full = try runner.simulate(image, vectors: vectors, in: scratch)
        let fullEnd = CPUClock.childrenSeconds()
        guard full.report.succeeded, full.report.passed == icarusCycles else {
            throw CosimError.simulationError("Icarus benchmark run failed:\n\(full.report)")
        }
        let seconds = (fullEnd - fullStart) - (fullStart - emptyStart)
        return Double(vectors.totalCycles) / max(seconds, 1e-9)
    }
}
