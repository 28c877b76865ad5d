import Foundation

/// A directory of build products, one subdirectory per key, safe for concurrent processes.
///
/// An entry is built in a private temporary directory, a manifest with the size and SHA-256 of
/// every file is written last, and the directory is `rename(2)`d into place, so a reader sees
/// either no entry or a complete one. A per-key lock file keeps two processes (or parallel tests)
/// from building the same entry twice. An entry whose files no longer match its manifest is
/// treated as corrupt: it is moved aside and rebuilt.
public struct CacheStore: Sendable {
    public let root: URL

    /// What `entry` did to produce the directory.
    public enum Outcome: Sendable, Equatable {
        case hit
        case built
        case rebuiltCorrupt(reason: String)
    }

    static let manifestName = "manifest.json"

    public init(root: URL) throws {
        self.root = root
        for sub in ["locks", "tmp"] {
            do {
                try FileManager.default.createDirectory(at: root.appendingPathComponent(sub),
                                                        withIntermediateDirectories: true)
            } catch {
                throw CosimError.cacheUnusable("cannot create \(root.path)/\(sub): \(error.localizedDescription)")
            }
        }
    }

    /// The directory of a valid entry `kind/key`, calling `build` (with an empty directory to fill)
    /// when there is none or the existing one is corrupt.
    public func entry(kind: String, key: String, build: (URL) throws -> Void) throws -> (URL, Outcome) {
        let final = root.appendingPathComponent(kind).appendingPathComponent(key)
        if case .valid = Self.check(final) { return (final, .hit) }

        let lock = try FileLock(path: root.appendingPathComponent("locks/\(kind)-\(key).lock").path)
        defer { withExtendedLifetime(lock) {} }
        // Another process may have finished the entry while this one waited for the lock.
        var corruptReason: String?
        switch Self.check(final) {
        case .valid: return (final, .hit)
        case .missing: break
        case .corrupt(let reason):
            corruptReason = reason
            try discard(final)
        }

        let staging = root.appendingPathComponent("tmp/\(kind)-\(key)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: staging) }
        try build(staging)
        try Self.writeManifest(in: staging)

        try FileManager.default.createDirectory(at: final.deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        guard rename(staging.path, final.path) == 0 else {
            throw CosimError.cacheUnusable("cannot move \(staging.path) to \(final.path): \(String(cString: strerror(errno)))")
        }
        return (final, corruptReason.map { .rebuiltCorrupt(reason: $0) } ?? .built)
    }

    /// Moves a corrupt entry out of the way first, so that no reader ever sees it half-deleted.
    private func discard(_ entry: URL) throws {
        let trash = root.appendingPathComponent("tmp/corrupt-\(UUID().uuidString)")
        guard rename(entry.path, trash.path) == 0 else {
            throw CosimError.cacheUnusable("cannot move corrupt entry \(entry.path) aside: \(String(cString: strerror(errno)))")
        }
        try? FileManager.default.removeItem(at: trash)
    }

    // MARK: Manifest

    private struct Manifest: Codable {
        struct File: Codable {
            let name: String
            let size: Int
            let sha256: String
        }
        let files: [File]
    }

    enum Validity: Equatable {
        case missing
        case valid
        case corrupt(String)
    }

    /// Whether `entry` exists and every file matches the manifest written when it was built.
    static func check(_ entry: URL) -> Validity {
        let manifestURL = entry.appendingPathComponent(manifestName)
        guard FileManager.default.fileExists(atPath: entry.path) else { return .missing }
        guard let data = try? Data(contentsOf: manifestURL) else { return .corrupt("no manifest") }
        guard let manifest = try? JSONDecoder().decode(Manifest.self, from: data), !manifest.files.isEmpty else {
            return .corrupt("unreadable manifest")
        }
        for file in manifest.files {
            guard let bytes = try? Data(contentsOf: entry.appendingPathComponent(file.name)) else {
                return .corrupt("\(file.name) is missing")
            }
            guard bytes.count == file.size else {
                return .corrupt("\(file.name) has \(bytes.count) bytes, manifest says \(file.size)")
            }
            guard digest(bytes) == file.sha256 else { return .corrupt("\(file.name) checksum differs") }
        }
        return .valid
    }

    private static func writeManifest(in directory: URL) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        var files: [Manifest.File] = []
        for name in names where name != manifestName {
            let bytes = try Data(contentsOf: directory.appendingPathComponent(name))
            files.append(.init(name: name, size: bytes.count, sha256: digest(bytes)))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(Manifest(files: files)).write(to: directory.appendingPathComponent(manifestName))
    }

    static func digest(_ bytes: Data) -> String {
        var hasher = SHA256()
        bytes.withUnsafeBytes { hasher.update($0) }
        return hasher.finalizeHex()
    }
}
