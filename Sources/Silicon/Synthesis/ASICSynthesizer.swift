import Cosim
import Foundation
import HDL

/// Maps SystemVerilog to a Liberty standard-cell library with Yosys: `synth` with the hierarchy
/// kept (each distinct module mapped once), memories moved into a module of their own per parent
/// (`<parent>_nf_memories`, mapped to flip-flops and read multiplexers: the upper bound of a
/// memory's area, reported apart from logic), `dfflibmap` for the flip-flops and `abc -liberty`
/// for the logic, timing-driven (`-D`) when a target clock is given.
///
/// With a cache directory, each result is kept under the key (Yosys version, script, library
/// bytes, sources), so that re-mapping an unchanged macro costs a hash.
public struct ASICSynthesizer: Sendable {
    public let locator: ToolLocator
    public let cacheDirectory: URL?

    public init(locator: ToolLocator = ToolLocator(), cacheDirectory: URL? = nil) {
        self.locator = locator
        self.cacheDirectory = cacheDirectory
    }

    /// Part of the cache key: bump it when the script's outputs or their reading change.
    static let resultFormat = "MappedDesign v2"

    /// Maps `sources` (top module `top`) to `library`; `flatten` merges every submodule into the
    /// top first (paths then cross module boundaries; slow for large designs).
    public func synthesize(_ sources: [VerilogSource], top: String, library: LibertyLibrary,
                           targetPeriodNanoseconds: Double? = nil, flatten: Bool = false) throws -> MappedDesign {
        let yosys = try locator.path(of: .yosys)
        guard let libraryPath = library.path else {
            throw CosimError.unsupported("the Liberty library \(library.name) must be read from a file for Yosys")
        }
        let script = mappingScript(sources, top: top, liberty: libraryPath,
                                   targetPeriodPicoseconds: targetPeriodNanoseconds.map { $0 * 1000 }, flatten: flatten)
        let version = try YosysRunner.version(yosys)
        let mapOnce: (URL) throws -> MappedDesign = { directory in
            try run(yosys, version: version, script: script, sources, top: top, library: library,
                    libraryPath: libraryPath, targetPeriodNanoseconds: targetPeriodNanoseconds, in: directory)
        }
        guard let cacheDirectory else {
            return try withScratchDirectory("asic-\(top)", mapOnce)
        }
        var hasher = SHA256()
        let abc = Self.abcScript(targetPeriodPicoseconds: targetPeriodNanoseconds.map { $0 * 1000 })
        for field in [Self.resultFormat, version, script, abc, try Self.abcConstraints(library), library.sha256] + sources.flatMap({ [$0.fileName, $0.text] }) {
            hasher.update(field)
            hasher.update([0])
        }
        let store = try CacheStore(root: cacheDirectory)
        let resultName = "mapped.json"
        let (entry, outcome) = try store.entry(kind: "asic", key: String(hasher.finalizeHex().prefix(32))) { staging in
            let mapped = try withScratchDirectory("asic-\(top)", mapOnce)
            try JSONEncoder().encode(mapped).write(to: staging.appendingPathComponent(resultName))
        }
        guard var mapped = try? JSONDecoder().decode(MappedDesign.self,
                                                     from: Data(contentsOf: entry.appendingPathComponent(resultName))) else {
            return try withScratchDirectory("asic-\(top)", mapOnce)
        }
        mapped.fromCache = outcome == .hit
        return mapped
    }

    /// Maps an elaborated HDL design (emitted with default options).
    public func synthesize(_ design: Design, library: LibertyLibrary, targetPeriodNanoseconds: Double? = nil,
                           flatten: Bool = false) throws -> MappedDesign {
        let files = SystemVerilogEmitter().emit(design).map { VerilogSource(fileName: $0.fileName, text: $0.text) }
        return try synthesize(files, top: design.top, library: library,
                              targetPeriodNanoseconds: targetPeriodNanoseconds, flatten: flatten)
    }

    /// The first Yosys run: map, count, write the hierarchical netlist.
    func mappingScript(_ sources: [VerilogSource], top: String, liberty: String, targetPeriodPicoseconds: Double?,
                       flatten: Bool) -> String {
        let lib = Self.quoted(liberty)
        let delay = targetPeriodPicoseconds.map { String(format: " -D %.0f", $0) } ?? ""
        return [
            "read_verilog -sv \(sources.map(\.fileName).joined(separator: " "))",
            "hierarchy -check -top \(top)",
            // Memories are still counted as such (not yet cells) right after `proc`.
            "proc",
            "tee -q -o memories.json stat -json -top \(top)",
            "synth\(flatten ? " -flatten" : "") -top \(top) -run :fine",
            // Each module's memories become one module of their own, mapped like logic below.
            "setattr -set submod \"nf_memories\" t:$mem_v2",
            "submod",
            "synth -top \(top) -run fine:",
            "dfflibmap -liberty \(lib)",
            "abc\(delay) -liberty \(lib) -constr \(Self.abcConstraintsName) -script \(Self.abcScriptName)",
            "opt_clean",
            // Cells named after the wires they drive: timing paths then start and end at our signals.
            "rename -wire",
            "tee -q -o stat.json stat -json -top \(top)",
            "write_verilog -noattr -noexpr netlist.v",
        ].joined(separator: "; ")
    }

    /// ABC's script: Yosys 0.23's own for a Liberty library, then buffering and gate sizing. The
    /// default leaves nets of a hundred fan-outs unbuffered (4 ns slews in the FP32 adder: 16.5
    /// ns against 10.5 ns with `buffer -p; upsize; dnsize`, for 4 % more area).
    static func abcScript(targetPeriodPicoseconds: Double?) -> String {
        let delay = targetPeriodPicoseconds.map { String(format: " -D %.0f", $0) } ?? ""
        return ["strash", "&get -n", "&fraig -x", "&put", "scorr", "dc2", "dretime", "strash", "&get -n", "&dch -f",
                "&nf\(delay)", "&put", "topo", "buffer -p", "upsize\(delay)", "dnsize\(delay)"].joined(separator: "\n") + "\n"
    }

    static let abcScriptName = "nf_abc.script"
    static let abcConstraintsName = "nf_abc.constr"

    /// ABC's drive and load: every input of a module's logic (its ports and its flip-flops'
    /// outputs) driven by the library's smallest inverter, every output loaded with four of its
    /// inputs, the conditions OpenSTA times with. Without a driving cell ABC takes inputs as
    /// ideal and never buffers them: a memory's read address then drove 1,168 mux pins
    /// unbuffered (107 pF, 124 ns in the 4-lane IterNorm top).
    static func abcConstraints(_ library: LibertyLibrary) throws -> String {
        let (inverter, load) = try library.portDriver()
        return "set_driving_cell \(inverter.name)\nset_load \(String(format: "%.6g", load))\n"
    }

    /// The second Yosys run: each module flattened on its own and its ports split into bits, the
    /// netlist form OpenSTA 2.0.17 links (it rejects concatenations). Leaf modules are written
    /// from the one loaded design; only modules with submodules reload it to flatten: copying a
    /// 64-lane design once per unit module took minutes and gigabytes.
    func timingScript(modules: [MappedModule], liberty: String) -> String {
        var commands = ["read_liberty -lib \(Self.quoted(liberty))", "read_verilog netlist.v", "design -save mapped"]
        let indexed = Array(modules.enumerated())
        for (index, module) in indexed where module.submodules.isEmpty {
            // Plain opt_clean, not -purge: the registers' outputs keep our wire names.
            commands += ["splitnets -ports \(module.name)", "opt_clean \(module.name)", "select \(module.name)",
                         "write_verilog -noattr -noexpr -selected sta-\(index).v", "select -clear"]
        }
        for (index, module) in indexed where !module.submodules.isEmpty {
            commands += ["design -load mapped", "hierarchy -top \(module.name)", "flatten", "splitnets -ports", "opt_clean",
                         "write_verilog -noattr -noexpr sta-\(index).v"]
        }
        return commands.joined(separator: "; ")
    }

    private static func quoted(_ path: String) -> String { "\"\(path)\"" }

    private func run(_ yosys: String, version: String, script: String, _ sources: [VerilogSource], top: String,
                     library: LibertyLibrary, libraryPath: String, targetPeriodNanoseconds: Double?,
                     in directory: URL) throws -> MappedDesign {
        let start = Date()
        for source in sources {
            try source.text.write(to: directory.appendingPathComponent(source.fileName), atomically: true, encoding: .utf8)
        }
        try Self.abcScript(targetPeriodPicoseconds: targetPeriodNanoseconds.map { $0 * 1000 })
            .write(to: directory.appendingPathComponent(Self.abcScriptName), atomically: true, encoding: .utf8)
        try Self.abcConstraints(library)
            .write(to: directory.appendingPathComponent(Self.abcConstraintsName), atomically: true, encoding: .utf8)
        try yosysRun(yosys, script, in: directory, what: "mapping \(top) to \(library.name)")
        let memoryStat = try Self.statJSON(directory.appendingPathComponent("memories.json"))
        let memoryBits = (memoryStat["design"] as? [String: Any])?["num_memory_bits"] as? Int
            ?? ((memoryStat["modules"] as? [String: Any])?["\\" + top] as? [String: Any])?["num_memory_bits"] as? Int ?? 0
        let modules = try Self.modules(fromStat: try Self.statJSON(directory.appendingPathComponent("stat.json")),
                                       top: top, library: library)
        try yosysRun(yosys, timingScript(modules: modules, liberty: libraryPath), in: directory,
                     what: "writing the timing netlists of \(top)")
        var timing: [String: String] = [:]
        for (index, module) in modules.enumerated() {
            timing[module.name] = try String(contentsOf: directory.appendingPathComponent("sta-\(index).v"), encoding: .utf8)
        }
        return MappedDesign(top: top, libraryName: library.name, librarySHA256: library.sha256,
                            targetPeriodNanoseconds: targetPeriodNanoseconds, modules: modules, memoryBits: memoryBits,
                            netlist: try String(contentsOf: directory.appendingPathComponent("netlist.v"), encoding: .utf8),
                            timingNetlists: timing, yosysVersion: version, seconds: Date().timeIntervalSince(start))
    }

    private func yosysRun(_ yosys: String, _ script: String, in directory: URL, what: String) throws {
        let result = try ProcessRunner.run(executable: yosys, ["-q", "-p", script], in: directory)
        guard result.succeeded else {
            throw CosimError.buildFailed("yosys \(what): \((result.stderr + result.stdout).suffix(2000))")
        }
    }

    private static func statJSON(_ url: URL) throws -> [String: Any] {
        let text = try String(contentsOf: url, encoding: .utf8)
        guard let root = try JSONSerialization.jsonObject(with: Data(YosysRunner.repairedStatJSON(text).utf8)) as? [String: Any] else {
            throw CosimError.buildFailed("yosys stat -json wrote no JSON object")
        }
        return root
    }

    /// The modules under `top` from `stat -json`: each cell type is a library cell or another
    /// module; anything else is a cell the mapping left (a Yosys-internal `$` cell, a cell of
    /// another library), which no later step could read.
    static func modules(fromStat stat: [String: Any], top: String, library: LibertyLibrary) throws -> [MappedModule] {
        guard let entries = stat["modules"] as? [String: Any] else {
            throw CosimError.buildFailed("yosys stat -json has no modules")
        }
        let names = Set(entries.keys.map { $0.hasPrefix("\\") ? String($0.dropFirst()) : $0 })
        var modules: [MappedModule] = []
        for (key, value) in entries {
            let name = key.hasPrefix("\\") ? String(key.dropFirst()) : key
            let byType = ((value as? [String: Any])?["num_cells_by_type"] as? [String: Int]) ?? [:]
            var cells: [String: Int] = [:], submodules: [String: Int] = [:]
            for (type, count) in byType {
                let bare = type.hasPrefix("\\") ? String(type.dropFirst()) : type
                if names.contains(bare) {
                    submodules[bare] = count
                } else if library.cell(named: bare) != nil {
                    cells[bare] = count
                } else {
                    throw CosimError.buildFailed("mapping \(top) to \(library.name) left \(count) cell(s) of type \(bare) in \(name), not a cell of the library")
                }
            }
            modules.append(MappedModule(name: name, cells: cells, submodules: submodules))
        }
        return modules.sorted { ($0.name != top ? 1 : 0, $0.name) < ($1.name != top ? 1 : 0, $1.name) }
    }
}
