import Foundation
import Golden

/// What the IterNorm co-simulation needs of a simulator: ports by name as little-endian 64-bit
/// words, settle, and one rising clock edge. Adapters wrap Verilator (tests, CLI) so that this
/// driver stays free of any one backend.
public protocol IterNormSimulator: AnyObject {
    /// Backend name for reports.
    var backendName: String { get }
    func write(_ port: String, _ words: [UInt64])
    func read(_ port: String) -> [UInt64]
    /// Settles combinational logic after inputs changed.
    func settle()
    /// One rising clock edge.
    func step()
}

/// The outcome of one co-simulation run.
public struct IterNormCosimReport: Sendable, Codable {
    public var backend: String
    public var vectors: Int
    public var mismatches: Int
    /// The first mismatches, decoded (vector, kind, element, expected, got).
    public var mismatchDetails: [String]
    /// First input beat accepted to last output beat, one vector into an idle macro.
    public var latencyCycles: Int
    /// Average cycles between consecutive vectors when streamed back to back.
    public var cyclesPerVector: Double
    /// Cycles the design was clocked in total.
    public var cycles: Int
}

/// Drives the IterNorm macro with vectors and checks every output element against the golden
/// model bit for bit; measures latency (one vector, idle macro) and the streaming rate.
public struct IterNormCosimulation {
    public let macro: IterNormMacro
    public let simulator: IterNormSimulator

    public init(macro: IterNormMacro, simulator: IterNormSimulator) {
        self.macro = macro
        self.simulator = simulator
    }

    /// Runs `vectors` (all of length `d`; the parameters of the first are loaded once and used for
    /// all). The first vector runs alone (latency); the rest stream back to back, with the output
    /// held back in a seeded fraction `backPressure` of the cycles.
    public func run(_ vectors: [IterNormVector], backPressure: Double = 0, seed: UInt64 = 1) throws -> IterNormCosimReport {
        let cfg = macro.config, f = cfg.format, lanes = cfg.lanes
        guard let d = vectors.first?.x.count else { throw IterNormError("no vectors to simulate") }
        try cfg.validate(d: d)
        let nb = d / lanes
        let gamma = cfg.hasGamma ? vectors[0].gamma : nil
        let beta = cfg.hasBeta ? vectors[0].beta : nil
        let golden = IterNorm(cfg)
        let expected = try vectors.map { v throws(IterNormError) in try golden.normalize(x: v.x, gamma: gamma, beta: beta) }
        let sim = simulator
        var cycles = 0
        func tick() { sim.step(); cycles += 1 }

        sim.write("rst", [1])
        sim.write("in_valid", [0])
        sim.write("out_ready", [1])
        sim.write("in_beats", [UInt64(nb)])
        sim.write("in_data", packLaneWords([UInt64](repeating: 0, count: lanes), width: f.width))
        if cfg.affine {
            sim.write("param_we", [0])
            sim.write("param_addr", [0])
        }
        tick(); tick()
        sim.write("rst", [0])
        if let gamma {
            for beat in 0..<nb {
                sim.write("param_we", [1])
                sim.write("param_addr", [UInt64(beat)])
                sim.write("param_gamma", packLaneWords(Array(gamma[beat * lanes ..< (beat + 1) * lanes]), width: f.width))
                if let beta {
                    sim.write("param_beta", packLaneWords(Array(beta[beat * lanes ..< (beat + 1) * lanes]), width: f.width))
                }
                tick()
            }
            sim.write("param_we", [0])
        }

        var rng = SeededRandom(seed: seed)
        var report = IterNormCosimReport(backend: sim.backendName, vectors: vectors.count, mismatches: 0,
                                         mismatchDetails: [], latencyCycles: 0, cyclesPerVector: 0, cycles: 0)
        var sendVector = 0, sendBeat = 0, recvVector = 0, recvBeat = 0
        var firstAccept = -1, lastOutputCycle: [Int] = []
        let limit = 1000 + vectors.count * (macro.latency(d: d) + 4 * nb) * 4
        var cycle = 0
        while recvVector < vectors.count {
            // The first vector goes alone so that its latency is measured on an idle macro.
            let mayStart = sendVector == 0 || recvVector >= 1
            let sending = sendVector < vectors.count && mayStart
            sim.write("in_valid", [sending ? 1 : 0])
            if sending {
                let x = vectors[sendVector].x
                sim.write("in_data", packLaneWords(Array(x[sendBeat * lanes ..< (sendBeat + 1) * lanes]), width: f.width))
            }
            let outReady = recvVector == 0 || backPressure <= 0 || rng.nextUnit() >= backPressure
            sim.write("out_ready", [outReady ? 1 : 0])
            sim.settle()
            let accepted = sending && sim.read("in_ready")[0] & 1 == 1
            if sim.read("out_valid")[0] & 1 == 1 && outReady {
                let got = unpackLaneWords(sim.read("out_data"), count: lanes, width: f.width)
                for i in 0..<lanes where got[i] != expected[recvVector][recvBeat * lanes + i] {
                    report.mismatches += 1
                    if report.mismatchDetails.count < 8 {
                        let e = recvBeat * lanes + i
                        report.mismatchDetails.append(
                            "vector \(recvVector) (\(vectors[recvVector].kind)) element \(e) cycle \(cycle): "
                                + "expected \(describe(expected[recvVector][e], f)), got \(describe(got[i], f))")
                    }
                }
                let last = sim.read("out_last")[0] & 1 == 1
                if let trace = ProcessInfo.processInfo.environment["ITERNORM_TRACE"], !trace.isEmpty {
                    print("out v\(recvVector) b\(recvBeat) @\(cycle)")
                }
                recvBeat += 1
                if recvBeat == nb {
                    if !last { report.mismatchDetails.append("vector \(recvVector): out_last missing on the last beat") }
                    lastOutputCycle.append(cycle)
                    recvBeat = 0
                    recvVector += 1
                } else if last {
                    report.mismatches += 1
                    report.mismatchDetails.append("vector \(recvVector): out_last on beat \(recvBeat - 1)")
                }
            }
            if accepted, let trace = ProcessInfo.processInfo.environment["ITERNORM_TRACE"], !trace.isEmpty {
                print("accept v\(sendVector) b\(sendBeat) @\(cycle)")
            }
            if accepted {
                if sendVector == 0 && sendBeat == 0 { firstAccept = cycle }
                sendBeat += 1
                if sendBeat == nb { sendBeat = 0; sendVector += 1 }
            }
            tick()
            cycle += 1
            if cycle > limit {
                throw IterNormError("simulation stalled: \(recvVector) of \(vectors.count) vectors out after \(cycle) cycles")
            }
        }
        report.latencyCycles = lastOutputCycle[0] - firstAccept + 1
        if lastOutputCycle.count > 2 {
            report.cyclesPerVector = Double(lastOutputCycle[lastOutputCycle.count - 1] - lastOutputCycle[1])
                / Double(lastOutputCycle.count - 2)
        } else {
            report.cyclesPerVector = Double(report.latencyCycles)
        }
        report.cycles = cycles
        return report
    }

    private func describe(_ bits: UInt64, _ f: FloatFormat) -> String {
        let hex = String(bits, radix: 16)
        return "0x\(hex) (s=\(f.sign(bits) ? 1 : 0) e=\(f.exponentField(bits)) f=0x\(String(f.fractionField(bits), radix: 16)) = \(f.toDouble(bits)))"
    }
}

/// Lanes of `width` bits packed into little-endian 64-bit words (lane 0 in the low bits).
public func packLaneWords(_ lanes: [UInt64], width: Int) -> [UInt64] {
    var words = [UInt64](repeating: 0, count: (lanes.count * width + 63) / 64)
    for (i, v) in lanes.enumerated() {
        for b in 0..<width where (v >> UInt64(b)) & 1 == 1 {
            let bit = i * width + b
            words[bit / 64] |= UInt64(1) << UInt64(bit % 64)
        }
    }
    return words
}

/// The inverse of `packLaneWords`.
public func unpackLaneWords(_ words: [UInt64], count: Int, width: Int) -> [UInt64] {
    (0..<count).map { i in
        var v: UInt64 = 0
        for b in 0..<width {
            let bit = i * width + b
            if bit / 64 < words.count, (words[bit / 64] >> UInt64(bit % 64)) & 1 == 1 { v |= UInt64(1) << UInt64(b) }
        }
        return v
    }
}
