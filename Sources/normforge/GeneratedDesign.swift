/// What `normforge generate <block>` reports for a generated design (`--json`).
struct GeneratedDesign: Codable {
    var design: String
    var files: [String]
    /// Cycles from the first input beat to the first output (BFP) or per tensor (range BN).
    var latencyCycles: Int
    var elementsPerCycle: Double
    var parameters: String
}
