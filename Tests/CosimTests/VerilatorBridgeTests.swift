import Foundation
import Golden
import HDL
import Testing
import Cosim

@Suite struct VerilatorBridgeTests {
    @Test func pipelinedMacMatchesReferenceModel() throws {
        let model = try VerilatorModel(Fixtures.pipelinedMac())
        let rst = try model.port("rst"), valid = try model.port("in_valid")
        let a = try model.port("a"), b = try model.port("b"), c = try model.port("c")
        let y = try model.port("y"), outValid = try model.port("out_valid")
        rst.write(1)
        model.step(2)
        rst.write(0)
        var random = SplitMix64(seed: 1)
        // Inputs sampled at one edge reach `y` at the next: one value in flight.
        var pipeline: [(UInt64, Bool)] = [(0, false)]
        var checked = 0
        for _ in 0..<2000 {
            let (x, z, w) = (random.next() & 0xFFFF_FFFF, random.next() & 0xFFFF_FFFF, random.next())
            let v = random.next() & 1 == 1
            a.write(x); b.write(z); c.write(w); valid.write(v ? 1 : 0)
            model.step()
            pipeline.append((x &* z &+ w, v))
            let expected = pipeline.removeFirst()
            #expect(outValid.read() == (expected.1 ? 1 : 0))
            #expect(y.read() == expected.0)
            checked += 1
        }
        try model.checkError()
        #expect(checked == 2000)
    }

    @Test func wide2048BitPortsRoundTrip() throws {
        let model = try VerilatorModel(Fixtures.widePassthrough())
        let d = try model.port("d"), q = try model.port("q"), n = try model.port("n")
        var random = SplitMix64(seed: 7)
        for _ in 0..<20 {
            let words = (0..<32).map { _ in random.next() }
            let value = BitVector(words: words, width: 2048)
            d.write(value)
            model.eval()
            #expect(n.readValue() == BitVector(words: words.map { ~$0 }, width: 2048))
            #expect(d.readValue() == value)
            model.step()
            #expect(q.readValue() == value)
        }
        // A narrow write zero-fills the upper words.
        d.write(0x1234)
        model.step()
        #expect(q.readValue() == BitVector(UInt64(0x1234), width: 2048))
    }

    @Test func oddWidePortKeepsBitsAboveWidthClear() throws {
        let model = try VerilatorModel(Fixtures.widePassthrough(width: 100, name: "OddWide"))
        let d = try model.port("d"), n = try model.port("n")
        d.write(BitVector(words: [~0, ~0], width: 100))
        model.eval()
        #expect(n.readValue() == BitVector(width: 100))
        #expect(d.readValue().words == [UInt64.max, (1 << 36) - 1] as [UInt64])
    }

    @Test func fatalIsReportedNotAborted() throws {
        let text = """
        module Fatal (input logic clk, input logic [7:0] x, output logic [7:0] y);
            always_ff @(posedge clk) begin
                if (x == 8'd42) $fatal(1, "x reached 42");
                y <= x;
            end
        endmodule

        """
        let design = try VerilogDesign(
            topModule: "Fatal", sources: [VerilogSource(fileName: "Fatal.sv", text: text)],
            ports: [.input("clk", width: 1), .input("x", width: 8), .output("y", width: 8)], clock: "clk")
        let model = try VerilatorModel(design)
        let x = try model.port("x")
        x.write(1)
        model.step()
        try model.checkError()
        x.write(42)
        model.step()
        #expect(throws: CosimError.self) { try model.checkError() }
        do { try model.checkError() } catch { #expect("\(error)".contains("x reached 42")) }
    }

    @Test func declaredPortsMustMatchTheVerilog() throws {
        let mac = try Fixtures.pipelinedMac()
        let wrong = try VerilogDesign(
            topModule: mac.topModule, sources: mac.sources,
            ports: mac.ports.map { $0.name == "y" ? .output("y", width: 32) : $0 },
            clock: "clk", reset: mac.reset)
        #expect { try VerilatorModel(wrong) } throws: { error in
            "\(error)".contains("PipelinedMac.y is declared output of 32 bits, the Verilog has output of 64 bits")
        }
    }

    @Test func unknownPortIsAClearError() throws {
        let model = try VerilatorModel(Fixtures.pipelinedMac())
        #expect { try model.port("nope") } throws: { error in
            "\(error)" == "design PipelinedMac has no port 'nope' (ports: clk, rst, in_valid, a, b, c, out_valid, y)"
        }
    }

    @Test func invalidDesignDescriptionIsRejected() {
        #expect(throws: CosimError.self) {
            try VerilogDesign(topModule: "T", sources: [VerilogSource(fileName: "T.sv", text: "")],
                              ports: [.input("clk", width: 2)], clock: "clk")
        }
    }
}
