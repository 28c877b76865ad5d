import Circuits
import Foundation
import Testing

/// generated/ as a whole: every file comes from a generator, no module is there twice under two
/// names, and the FP units a reviewer reads carry the source's names.
@Suite struct GeneratedDirectoryTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("generated")

    static func checkedIn() throws -> [String: String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        return try Dictionary(uniqueKeysWithValues: names.map {
            ($0, try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8))
        })
    }

    @Test func everyFileComesFromAGenerator() throws {
        let generated = try BFPGeneratedFiles.files() + IterNormGeneratedFiles.files() + RangeBNGeneratedFiles.files()
        let orphans = Set(try Self.checkedIn().keys).subtracting(generated.map(\.name))
        #expect(orphans.isEmpty, "no generator writes \(orphans.sorted()): delete them")
    }

    /// A module's text with its name and header taken out: two files with the same body are
    /// the same module under two names.
    static func body(_ text: String) -> String? {
        guard let start = text.range(of: "\nmodule ") else { return nil }
        let rest = text[start.upperBound...]
        return String(rest.drop { $0 != " " && $0 != "(" && $0 != "#" })
    }

    @Test func noModuleUnderTwoNames() throws {
        var byBody: [String: String] = [:]
        for (name, text) in try Self.checkedIn().sorted(by: { $0.key < $1.key }) {
            guard let body = Self.body(text) else { continue }
            if let first = byBody[body] {
                Issue.record("\(first) and \(name) are the same module under two names")
            }
            byBody[body] = name
        }
        #expect(byBody.count >= 15)
    }

    /// The declared signals of a module: every `logic` declaration after the port list.
    static func declaredSignals(_ text: String) -> [String] {
        guard let ports = text.range(of: ");\n") else { return [] }
        return text[ports.upperBound...].split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("logic "), trimmed.hasSuffix(";") else { return nil }
            return trimmed.dropLast().split(separator: " ").last.map(String.init)
        }
    }

    @Test("at least half of the signals of the FP32 adder and multiplier carry source names",
          arguments: ["FPAdd_e8f23.sv", "FPMul_e8f23.sv"])
    func unitsAreReadable(_ file: String) throws {
        let text = try #require(try Self.checkedIn()[file], "generated/\(file) is missing")
        let signals = Self.declaredSignals(text)
        let named = signals.filter { !$0.hasPrefix("_") }
        #expect(signals.count > 20)
        #expect(2 * named.count >= signals.count, "\(file): \(named.count) of \(signals.count) named")
        for name in ["a_significand", "b_significand", "biased_top", "round_up", "sticky"] {
            #expect(named.contains(name), "\(file) lacks \(name)")
        }
    }
}
