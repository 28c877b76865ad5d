import Foundation
import Testing
import Cosim

@Suite struct BuildCacheTests {
    /// Model caches in fresh directories share the default runtime archive, so only the model
    /// builds are repeated.
    private func freshCache(_ directory: URL) throws -> VerilatorBuildCache {
        try VerilatorBuildCache(directory: directory, runtimeDirectory: CacheLocation.defaultDirectory)
    }

    @Test func secondRunCompilesNothing() throws {
        let directory = try Fixtures.temporaryDirectory("cache")
        defer { try? FileManager.default.removeItem(at: directory) }
        let design = try Fixtures.widePassthrough(width: 96, name: "CacheProbe")

        let first = try freshCache(directory)
        _ = try first.library(for: design)
        #expect(first.statistics.verilatorRuns == 1)
        #expect(first.statistics.modelCompiles == 1)

        // A new cache object on the same directory stands for a second test process.
        let second = try freshCache(directory)
        let library = try second.library(for: design)
        #expect(second.statistics.verilatorRuns == 0)
        #expect(second.statistics.modelCompiles == 0)
        #expect(second.statistics.hits == 1)
        let model = try VerilatorModel(design, library: library)
        try model.port("d").write(5)
        model.step()
        #expect(try model.port("q").read() == 5)
    }

    @Test func corruptEntryIsDetectedAndRebuilt() throws {
        let directory = try Fixtures.temporaryDirectory("corrupt")
        defer { try? FileManager.default.removeItem(at: directory) }
        let design = try Fixtures.widePassthrough(width: 72, name: "CorruptProbe")
        let first = try freshCache(directory)
        let original = try first.library(for: design)

        // Truncate the library as a crashed copy or a full disk would leave it.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: original.path))
        // (A new file, not an in-place write: this process still has the original mapped.)
        try bytes.prefix(bytes.count / 3).write(to: URL(fileURLWithPath: original.path), options: .atomic)

        let second = try freshCache(directory)
        let rebuilt = try second.library(for: design)
        #expect(second.statistics.corruptRebuilds == 1)
        #expect(second.statistics.verilatorRuns == 1)
        #expect(rebuilt.path != original.path)
        let model = try VerilatorModel(design, library: rebuilt)
        try model.port("d").write(0xABC)
        model.eval()
        #expect(try model.port("n").read() == ~UInt64(0xABC))

        // The rebuilt entry is whole again: a third run compiles nothing.
        let third = try freshCache(directory)
        _ = try third.library(for: design)
        #expect(third.statistics.verilatorRuns == 0 && third.statistics.hits == 1)
    }

    @Test func missingVerilatorIsAClearError() {
        #expect { try VerilatorBuildCache(locator: ToolLocator(searchPath: ["/nonexistent-dir"])) } throws: { error in
            "\(error)" == "verilator not found on PATH; run `make setup` (installs verilator, iverilog, yosys, opensta, the OSU 0.18 um cells, lcov and chromium)"
        }
    }

    @Test func keyChangesWithTheSourceAndOptions() throws {
        let cache = try VerilatorBuildCache.shared()
        let a = try Fixtures.widePassthrough(width: 8, name: "KeyProbe")
        let b = try Fixtures.widePassthrough(width: 9, name: "KeyProbe")
        #expect(cache.key(for: a, options: .init()) == cache.key(for: a, options: .init()))
        #expect(cache.key(for: a, options: .init()) != cache.key(for: b, options: .init()))
        #expect(cache.key(for: a, options: .init()) != cache.key(for: a, options: .init(trace: true)))
    }
}
