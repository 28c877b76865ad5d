import Foundation

/// The CLI's one JSON style (`--json`, `--output`): snake_case keys, sorted, indented.
enum JSONOutput {
    static func data(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(value)
    }

    static func text(_ value: some Encodable) throws -> String { String(decoding: try data(value), as: UTF8.self) }
}
