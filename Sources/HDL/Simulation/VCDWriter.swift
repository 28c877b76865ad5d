import Foundation

/// Writes a Value Change Dump of named bit vectors: the IR simulator's waveform output.
final class VCDWriter {
    private let handle: FileHandle
    private let identifiers: [String]
    private let widths: [Int]
    private var last: [BitVector?]
    private var buffer = ""

    /// Creates `path` and writes the header for `signals` (scope `top`).
    init(path: String, top: String, signals: [(name: String, width: Int)]) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw SimulationError("cannot create VCD file \(path)")
        }
        self.handle = handle
        widths = signals.map(\.width)
        last = Array(repeating: nil, count: signals.count)
        // Identifiers: base-94 numbers over the printable characters VCD allows.
        identifiers = signals.indices.map { index in
            var n = index, id = ""
            repeat {
                id.append(Character(Unicode.Scalar(UInt8(33 + n % 94))))
                n /= 94
            } while n > 0
            return id
        }
        buffer = "$timescale 1ns $end\n$scope module \(top) $end\n"
        for (index, signal) in signals.enumerated() {
            buffer += "$var wire \(signal.width) \(identifiers[index]) \(signal.name) $end\n"
        }
        buffer += "$upscope $end\n$enddefinitions $end\n"
    }

    /// Records the values at `time`; only changes are written.
    func dump(time: Int, values: [BitVector]) {
        var changes = ""
        for (index, value) in values.enumerated() where last[index] != value {
            last[index] = value
            if widths[index] == 1 {
                changes += (value.bit(0) ? "1" : "0") + identifiers[index] + "\n"
            } else {
                var bits = ""
                var started = false
                for bit in stride(from: widths[index] - 1, through: 0, by: -1) {
                    let one = value.bit(bit)
                    if one { started = true }
                    if started { bits.append(one ? "1" : "0") }
                }
                changes += "b\(bits.isEmpty ? "0" : bits) \(identifiers[index])\n"
            }
        }
        if !changes.isEmpty { buffer += "#\(time)\n" + changes }
        if buffer.utf8.count > 1 << 16 { flush() }
    }

    func flush() {
        handle.write(Data(buffer.utf8))
        buffer = ""
    }

    deinit {
        flush()
        try? handle.close()
    }
}
