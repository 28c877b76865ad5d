import Circuits
import Cosim
import Golden

/// The range-BN units' stream ports and parameter loads as the co-simulations drive them.
enum RangeBNPorts {
    /// A block input stream `<prefix>_valid/ready/scale/data`.
    static func input(_ prefix: String) -> StreamInterface {
        StreamInterface(valid: "\(prefix)_valid", ready: "\(prefix)_ready", data: ["\(prefix)_scale", "\(prefix)_data"])
    }

    /// A block output stream `<prefix>_valid/ready/scale/data/last`.
    static func output(_ prefix: String) -> StreamInterface {
        StreamInterface(valid: "\(prefix)_valid", ready: "\(prefix)_ready",
                        data: ["\(prefix)_scale", "\(prefix)_data", "\(prefix)_last"])
    }

    static func inputBeats(_ blocks: [BFPBlock], lanes: Int, format: BFPFormat, prefix: String) -> [[String: any PortValueConvertible]] {
        blocks.beats(lanes: lanes, elementWidth: format.element.width).map { beat in
            ["\(prefix)_scale": beat.scale, "\(prefix)_data": beat.data] as [String: any PortValueConvertible]
        }
    }

    static func outputBeats(_ blocks: [BFPBlock], lanes: Int, format: BFPFormat, prefix: String) -> [[String: any PortValueConvertible]] {
        blocks.beats(lanes: lanes, elementWidth: format.element.width).map { beat in
            ["\(prefix)_scale": beat.scale, "\(prefix)_data": beat.data, "\(prefix)_last": beat.endsBlock]
                as [String: any PortValueConvertible]
        }
    }

    /// Writes gamma and beta (and, for the inference unit, the running statistics), one channel
    /// per cycle.
    static func loadParameters(_ tb: CircuitTestbench, channels: Int, gamma: [UInt64], beta: [UInt64],
                               running: RangeBatchNormRunning? = nil) throws {
        for c in 0..<channels {
            try tb.poke("param_valid", true)
            try tb.poke("param_channel", c)
            try tb.poke("param_gamma", gamma[c])
            try tb.poke("param_beta", beta[c])
            if let running {
                try tb.poke("param_mean", running.mean[c])
                try tb.poke("param_range", running.range[c])
            }
            try tb.step()
        }
        try tb.poke("param_valid", false)
    }

    /// Reads every channel's running statistics through `running_channel` and checks them.
    static func expectRunning(_ tb: CircuitTestbench, _ running: RangeBatchNormRunning, vector: Int) throws {
        for c in running.mean.indices {
            try tb.poke("running_channel", c)
            try tb.step()
            try tb.expect("running_mean", running.mean[c], vector: vector, label: "running mean of channel \(c)")
            try tb.expect("running_range", running.range[c], vector: vector, label: "running range of channel \(c)")
        }
    }
}
