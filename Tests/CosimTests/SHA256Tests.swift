import Foundation
import Testing
import Cosim
import Golden

@Suite struct SHA256Tests {
    @Test func knownVectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func streamingMatchesOneShot() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var hasher = SHA256()
        hasher.update(bytes[..<7])
        bytes[7..<300].withUnsafeBytes { hasher.update($0) }
        hasher.update(bytes[300...])
        #expect(hasher.finalizeHex() == SHA256.hex(bytes))
    }

    /// Lengths around every padding boundary (55/56 bytes leave room for the length or not,
    /// 64 and 128 are whole blocks) and a long multi-block input.
    static let referenceLengths = [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 100_003]

    /// The digest of coreutils' `sha256sum`, an implementation that shares no code with ours.
    static func sha256sum(_ bytes: [UInt8]) throws -> String {
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("normforge-sha256-\(UUID().uuidString).bin")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try ProcessRunner.run(executable: "/usr/bin/sha256sum", [file.path])
        #expect(result.succeeded, "\(result.commandLine): \(result.stderr)")
        return String(result.stdout.prefix { $0 != " " })
    }

    @Test(arguments: referenceLengths)
    func matchesSha256sum(length: Int) throws {
        var random = SplitMix64(seed: UInt64(length) &+ 1)
        let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let expected = try Self.sha256sum(bytes)
        #expect(expected.count == 64)
        #expect(SHA256.hex(bytes) == expected)
        // The same bytes fed in uneven pieces through every update path.
        var hasher = SHA256()
        var offset = 0, piece = 1
        while offset < bytes.count {
            let end = min(bytes.count, offset + piece)
            if piece % 2 == 0 { bytes[offset..<end].withUnsafeBytes { hasher.update($0) } } else { hasher.update(bytes[offset..<end]) }
            offset = end
            piece = piece * 3 % 97 + 1
        }
        #expect(hasher.finalizeHex() == expected)
    }
}
