/// What `normforge generate <block>` reports for a generated design (`--json`).
struct GeneratedDesign: Codable {
    var design: String
    /// The `.sv` files, submodules first.
    var files: [String]
    /// The FuseSoC CAPI2 core (`fusesoc --cores-root DIR run --target lint normforge:macro:<top>`).
    var core: String
    /// The plain file list, same order as `files`.
    var fileList: String
    /// Cycles from the first input beat to the first output (BFP) or per tensor (range BN).
    var latencyCycles: Int
    var elementsPerCycle: Double
    var parameters: String
}
