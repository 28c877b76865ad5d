import HDL

/// Many random modules under one top, so that a batch costs one build per tool.
public struct FuzzBatch: Sendable {
    public let seed: UInt64
    /// Global index of the first design.
    public let first: Int
    public let designs: [RandomModule]
    public let top: Module

    public init(seed: UInt64, first: Int, count: Int) {
        self.seed = seed
        self.first = first
        let designs = (first..<(first + count)).map { RandomModule(seed: seed, index: $0) }
        self.designs = designs
        top = Module("fuzz_batch_s\(seed)_\(first)") {
            for (i, design) in designs.enumerated() {
                FuzzBatch.connect(design.module, as: i)
            }
        }
    }

    /// Instance `d<i>` of `m` with its inputs and outputs as the top's ports `i<i>_...`, `o<i>_...`.
    static func connect(_ m: Module, as i: Int) {
        let u = Instance(m, "d\(i)")
        for port in m.ports {
            let decl = m[signal: port]
            if decl.name == "clk" || decl.name == "rst" { continue }
            if decl.kind == .input {
                u[decl.name] <== Input("i\(i)_\(decl.name)", decl.type)
            } else {
                let y = Output("o\(i)_\(decl.name)", decl.type)
                y <== u[decl.name]
            }
        }
    }

    /// The design (global index) an `o<i>_...` / `i<i>_...` port belongs to.
    func design(ofPort name: String) -> Int? {
        guard let underscore = name.firstIndex(of: "_"), let local = Int(name.dropFirst().prefix(upTo: underscore)) else { return nil }
        return first + local
    }

    /// The design's own port name of a top port `o<i>_<name>`.
    static func designPort(ofPort name: String) -> String? {
        guard let underscore = name.firstIndex(of: "_") else { return nil }
        return String(name[name.index(after: underscore)...])
    }
}
