import Foundation
import Synchronization

/// What a build cache has done since it was created; tests count compiles with it.
public struct BuildStatistics: Sendable, Equatable {
    /// `verilator --cc` runs (one per model built).
    public var verilatorRuns = 0
    /// Model libraries compiled and linked.
    public var modelCompiles = 0
    /// Runtime archives built.
    public var runtimeBuilds = 0
    /// Requests served from the cache without compiling.
    public var hits = 0
    /// Entries found corrupt and rebuilt.
    public var corruptRebuilds = 0
}

/// Builds Verilator models into shared libraries and keeps them in a content-addressed cache.
///
/// The key hashes the SystemVerilog sources, the port list, the build options and the tool
/// versions, so an unchanged design never recompiles (a hit costs a manifest check and a
/// `dlopen`). Entries appear atomically and are checked against their manifest on every use
/// (see `CacheStore`). Safe to share between threads and between processes.
public final class VerilatorBuildCache: Sendable {
    /// Where model libraries are kept.
    public let directory: URL
    /// Where the runtime archive is kept (shared by several model caches, e.g. in tests).
    public let runtimeDirectory: URL
    public let toolchain: VerilatorToolchain
    private let store: CacheStore
    private let runtimeStore: CacheStore
    private let counters = Mutex(BuildStatistics())

    private static let sharedCache = Mutex<VerilatorBuildCache?>(nil)

    /// The process-wide cache at `CacheLocation.defaultDirectory`, created on first use.
    public static func shared() throws -> VerilatorBuildCache {
        try sharedCache.withLock { cache in
            if let cache { return cache }
            let created = try VerilatorBuildCache()
            cache = created
            return created
        }
    }

    /// A cache in `directory`; `runtimeDirectory` defaults to the same place. Throws `ToolNotFound`
    /// when `verilator` or `g++` is missing.
    public init(directory: URL = CacheLocation.defaultDirectory, runtimeDirectory: URL? = nil,
                locator: ToolLocator = ToolLocator()) throws {
        toolchain = try VerilatorToolchain.locate(locator)
        self.directory = directory
        self.runtimeDirectory = runtimeDirectory ?? directory
        store = try CacheStore(root: directory)
        runtimeStore = try CacheStore(root: self.runtimeDirectory)
    }

    /// What this cache object has built and served so far.
    public var statistics: BuildStatistics { counters.withLock { $0 } }

    /// The cache key of a design under some options: 32 hex digits of SHA-256.
    public func key(for design: VerilogDesign, options: VerilatorOptions) -> String {
        var hasher = SHA256()
        func field(_ text: String) { hasher.update(text); hasher.update([0]) }
        field(ShimGenerator.abiVersion)
        field(toolchain.version)
        field(toolchain.compilerVersion)
        field(VerilatorRuntime.key(toolchain))
        field(VerilatorOptions.printHookHeader)
        field(design.topModule)
        field(design.clock ?? "")
        for port in design.ports { field("\(port.name) \(port.width) \(port.direction.rawValue)") }
        for source in design.sources { field(source.fileName); field(source.text) }
        field((options.verilatorFlags + options.modelCxxFlags + VerilatorOptions.linkLibraries).joined(separator: " "))
        return String(hasher.finalizeHex().prefix(32))
    }

    /// The loaded library for `design`, building it if the cache has no valid entry.
    public func library(for design: VerilogDesign, options: VerilatorOptions = VerilatorOptions()) throws -> VerilatedLibrary {
        let runtime = try runtimeArchive()
        let key = key(for: design, options: options)
        let (entry, outcome) = try store.entry(kind: "models", key: key) { staging in
            try VerilatorModelBuilder(toolchain: toolchain, design: design, options: options, runtimeArchive: runtime)
                .build(into: staging, count: { step in
                    self.counters.withLock { stats in
                        switch step {
                        case .verilate: stats.verilatorRuns += 1
                        case .compile: stats.modelCompiles += 1
                        }
                    }
                })
        }
        counters.withLock { stats in
            switch outcome {
            case .hit: stats.hits += 1
            case .built: break
            case .rebuiltCorrupt: stats.corruptRebuilds += 1
            }
        }
        return try VerilatedLibrary.load(VerilatorModelBuilder.library(in: entry), design: design)
    }

    /// The path of the library file a design's entry holds, for tools that inspect the cache.
    public func entryDirectory(for design: VerilogDesign, options: VerilatorOptions = VerilatorOptions()) -> URL {
        directory.appendingPathComponent("models").appendingPathComponent(key(for: design, options: options))
    }

    /// The runtime archive, built on first use per toolchain.
    func runtimeArchive() throws -> URL {
        let (entry, outcome) = try runtimeStore.entry(kind: "runtime", key: VerilatorRuntime.key(toolchain)) { staging in
            try VerilatorRuntime.build(into: staging, toolchain: toolchain)
        }
        if outcome != .hit { counters.withLock { $0.runtimeBuilds += 1 } }
        return entry.appendingPathComponent(VerilatorRuntime.archiveName)
    }
}
