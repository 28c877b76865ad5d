import HDL
import Testing

/// `BundleLayout.pack` / `unpack`: a record in one word, first field in the high bits.
@Suite struct PackedBundleTests {
    static let entry = BundleLayout(["last": .bool, "scale": .bits(8), "offset": .sint(4)])

    @Test func packThenUnpackIsTheIdentity() throws {
        let module = Module("PackedRecord") {
            let last = Input("last", .bool), scale = Input("scale", .bits(8)), offset = Input("offset", .sint(4))
            let word = Output("word", .bits(13))
            let back = Output("back", Self.entry)
            let packed = Self.entry.pack(["last": last, "scale": scale, "offset": offset])
            word <== packed
            back <== Self.entry.unpack(packed)
        }
        let sim = try IRSimulator(Design(top: module))
        try sim.poke("last", 1)
        try sim.poke("scale", 0xA5)
        try sim.poke("offset", -3)
        sim.step()
        #expect(try sim.peek("word") == BitVector((1 << 12) | (0xA5 << 4) | 0xD, width: 13))
        #expect(try sim.peek("back_last") == BitVector(1, width: 1))
        #expect(try sim.peek("back_scale") == BitVector(0xA5, width: 8))
        #expect(try sim.peek("back_offset") == BitVector(0xD, width: 4))
        #expect(Self.entry.width == 13)
    }

    @Test func misuseIsReportedAtTheCall() {
        let line = #line + 5
        let module = Module("PackedMisuse") {
            let scale = Input("scale", .bits(7))
            let word = Output("word", .bits(13))
            let y = Output("y", .bits(8))
            word <== Self.entry.pack(["scale": scale, "extra": scale])
            y <== Self.entry.unpack(scale).scale
        }
        let file = "PackedBundleTests.swift"
        #expect(diagnostics(module) == [
            "\(file):\(line): error: packed layout has no field 'extra' (fields: last, scale, offset)",
            "\(file):\(line): error: packing misses field 'last'",
            "\(file):\(line): error: width mismatch: field 'scale' is 8 bits, got 7 bits",
            "\(file):\(line): error: packing misses field 'offset'",
            "\(file):\(line + 1): error: width mismatch: the packed layout is 13 bits, the word 7 bits",
        ])
    }
}
