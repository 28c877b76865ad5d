import HDL
import Testing
import Cosim

/// A one-entry valid/ready pipeline stage that adds 1 to each item.
private func streamStage(width: Int) -> Module {
    Module("StreamStage_w\(width)") {
        let inValid = Input("in_valid", .bool)
        let inData = Input("in_data", .uint(width))
        let inReady = Output("in_ready", .bool)
        let outReady = Input("out_ready", .bool)
        let outValid = Output("out_valid", .bool)
        let outData = Output("out_data", .uint(width))
        let full = Reg("full", .bool, reset: 0)
        let data = Reg("data", .uint(width))
        let canAccept = !full || outReady
        inReady <== canAccept
        When(canAccept) {
            full <== inValid
            data <== inData &+ 1
        }
        outValid <== full
        outData <== data
    }
}

@Suite struct StreamDriverTests {
    @Test(arguments: SimulationBackend.allCases)
    func itemsArriveInOrderUnderBubblesAndBackpressure(backend: SimulationBackend) throws {
        let tb = try Testbench(Design(top: streamStage(width: 12)), backend: backend)
        try tb.poke("in_valid", 0)
        try tb.reset()
        let items = (0..<200).map { ["in_data": ($0 * 37) % 4096] as [String: any PortValueConvertible] }
        let expected = (0..<200).map { ["out_data": ($0 * 37 + 1) % 4096] as [String: any PortValueConvertible] }
        let cycles = try tb.stream(
            items, into: StreamInterface(valid: "in_valid", ready: "in_ready", data: ["in_data"]),
            expect: expected, from: StreamInterface(valid: "out_valid", ready: "out_ready", data: ["out_data"]),
            options: StreamOptions(seed: 9, bubbleProbability: 0.3, backpressureProbability: 0.4))
        #expect(cycles > 200)
        let report = try tb.finish()
        #expect(report.failed == 0)
    }

    @Test func wrongDataIsReportedPerItem() throws {
        let tb = try Testbench(Design(top: streamStage(width: 8)), backend: .verilator)
        try tb.reset()
        let items = (0..<5).map { ["in_data": $0] as [String: any PortValueConvertible] }
        // The stage adds 1; expecting the raw input fails for every item.
        let expected = (0..<5).map { ["out_data": $0] as [String: any PortValueConvertible] }
        try tb.stream(items, into: StreamInterface(valid: "in_valid", ready: "in_ready", data: ["in_data"]),
                      expect: expected, from: StreamInterface(valid: "out_valid", ready: "out_ready", data: ["out_data"]))
        #expect { try tb.finish() } throws: { "\($0)".contains("0 passed, 5 failed") }
    }

    @Test func missingOutputTimesOut() throws {
        let tb = try Testbench(Design(top: streamStage(width: 8)), backend: .irSim)
        try tb.reset()
        #expect { try tb.stream([["in_data": 1]], into: StreamInterface(valid: "in_valid", ready: "in_ready", data: ["in_data"]),
                                expect: [["out_data": 2], ["out_data": 3]],
                                from: StreamInterface(valid: "out_valid", ready: "out_ready", data: ["out_data"]),
                                options: StreamOptions(timeoutCycles: 50)) } throws: {
            "\($0)".contains("stream timeout after 50 cycles: sent 1 of 1, received 1 of 2")
        }
    }
}
