import Circuits
import Cosim
import Foundation
import Golden
import HDL

/// Verilator models of HDL modules, through the shared build cache.
enum FPSimulation {
    static func model(_ module: Module) throws -> VerilatorModel {
        try VerilatorModel(VerilogDesign(Design(top: module)))
    }
}

/// Whether the long sweeps run (`NORMFORGE_LONG=1`, the `make test-long` goal).
var longSweeps: Bool { ProcessInfo.processInfo.environment["NORMFORGE_LONG"] == "1" }

/// Operand generator that favours the edge classes of a format: specials, subnormals, extreme
/// exponents, sparse significands (exact ties), and second operands near the first
/// (cancellation, alignment by a few bits) or reciprocal in scale (product near the underflow
/// and overflow boundaries).
struct FPOperandGenerator {
    let format: FloatFormat
    var random: SeededRandom

    init(_ format: FloatFormat, seed: UInt64) {
        self.format = format
        random = SeededRandom(seed: seed)
    }

    /// Values every test should see, in both signs.
    static func edgeValues(_ format: FloatFormat) -> [UInt64] {
        let f = format.fractionBits
        let maxField = format.maxFiniteExponentField
        let frac = format.fractionMask
        var magnitudes: [UInt64] = [
            0, 1, 2, 3, frac, frac - 1, UInt64(1) << UInt64(f - 1),           // zero, subnormals
            format.encode(sign: false, exponentField: 1, fractionField: 0),   // min normal
            format.encode(sign: false, exponentField: 1, fractionField: 1),
            format.encode(sign: false, exponentField: 2, fractionField: 0),
            format.encode(sign: false, exponentField: UInt64(format.bias), fractionField: 0),      // 1
            format.encode(sign: false, exponentField: UInt64(format.bias), fractionField: 1),
            format.encode(sign: false, exponentField: UInt64(format.bias), fractionField: frac),
            format.encode(sign: false, exponentField: UInt64(format.bias) - 1, fractionField: frac),
            format.encode(sign: false, exponentField: UInt64(format.bias + 1), fractionField: 0),  // 2
            format.encode(sign: false, exponentField: UInt64(format.bias + 1), fractionField: UInt64(1) << UInt64(f - 1)),
            format.encode(sign: false, exponentField: maxField, fractionField: frac),               // max
            format.encode(sign: false, exponentField: maxField, fractionField: frac - 1),
            format.encode(sign: false, exponentField: maxField, fractionField: 0),
            format.encode(sign: false, exponentField: maxField - 1, fractionField: frac),
            format.infinity(sign: false)!,
            format.canonicalNaN!,
            format.encode(sign: false, exponentField: format.maxExponentField, fractionField: 1),   // sNaN
            format.encode(sign: false, exponentField: format.maxExponentField, fractionField: frac),
        ]
        magnitudes = Array(Set(magnitudes)).sorted()
        return magnitudes + magnitudes.map { $0 | format.signMask }
    }

    /// One operand from a mix of classes.
    mutating func next() -> UInt64 {
        let choice = random.next() % 16
        let sign = random.next() & 1 == 1
        switch choice {
        case 0...4:
            return random.next() & format.encodingMask
        case 5:
            let edges = FPOperandGenerator.edgeValues(format)
            return edges[Int(random.next() % UInt64(edges.count))]
        case 6, 7:
            return format.encode(sign: sign, exponentField: 0, fractionField: fraction())
        case 8, 9:
            // Extreme exponents: near the bottom and the top of the normal range.
            let span = UInt64(min(6, Int(format.maxFiniteExponentField)))
            let low = random.next() & 1 == 1
            let field = low ? 1 + random.next() % span : format.maxFiniteExponentField - random.next() % span
            return format.encode(sign: sign, exponentField: field, fractionField: fraction())
        default:
            let field = 1 + random.next() % format.maxFiniteExponentField
            return format.encode(sign: sign, exponentField: field, fractionField: fraction())
        }
    }

    /// A second operand related to `a` in one of several ways, or independent.
    mutating func next(relatedTo a: UInt64) -> UInt64 {
        let sign = random.next() & 1 == 1
        let fieldA = Int(format.exponentField(a))
        let maxField = Int(format.maxFiniteExponentField)
        switch random.next() % 8 {
        case 0, 1:
            // Close exponent: cancellation and short alignments (ties at distance f + 1).
            let delta = Int(random.next() % UInt64(2 * format.precision + 7)) - format.precision - 3
            let field = min(max(fieldA + delta, 0), maxField)
            return format.encode(sign: sign, exponentField: UInt64(field), fractionField: fraction())
        case 2:
            // a with a few low fraction bits changed: massive cancellation.
            let change = random.next() & 0xF
            return (a ^ change ^ (sign ? format.signMask : 0)) & format.encodingMask
        case 3:
            // Reciprocal scale: the product lands near 1, or near the underflow/overflow ends.
            let target = [format.bias, 1 - format.fractionBits, maxField, 0][Int(random.next() % 4)]
            let delta = Int(random.next() % 5) - 2
            let field = min(max(2 * format.bias - fieldA + target - format.bias + delta, 0), maxField)
            return format.encode(sign: sign, exponentField: UInt64(field), fractionField: fraction())
        default:
            return next()
        }
    }

    /// A fraction: uniform, sparse (few leading bits: exact ties), all ones, or tiny.
    mutating func fraction() -> UInt64 {
        let f = format.fractionBits
        switch random.next() % 6 {
        case 0:
            let keep = Int(random.next() % UInt64(min(f, 4) + 1))
            return keep == 0 ? 0 : (random.next() & ((UInt64(1) << UInt64(keep)) - 1)) << UInt64(f - keep)
        case 1: return format.fractionMask
        case 2: return random.next() & 0x7
        default: return random.next() & format.fractionMask
        }
    }
}

/// A readable encoding: hex with its sign, exponent field and fraction field.
func decode(_ bits: UInt64, _ format: FloatFormat) -> String {
    let digits = (format.width + 3) / 4
    let hex = String(bits, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, digits - hex.count)) + hex
        + " (s=\(format.sign(bits) ? 1 : 0) e=\(format.exponentField(bits)) f=0x\(String(format.fractionField(bits), radix: 16)) = \(format.toDouble(bits)))"
}

/// Counts mismatches between a unit and its golden operation and keeps the first few described.
struct MismatchLog {
    let limit = 5
    private(set) var count = 0
    private(set) var checked = 0
    private(set) var examples: [String] = []

    mutating func check(_ got: UInt64, _ expected: UInt64, _ describe: @autoclosure () -> String) {
        checked += 1
        guard got != expected else { return }
        count += 1
        if examples.count < limit { examples.append(describe()) }
    }

    var report: String { "\(count) of \(checked) mismatched:\n" + examples.joined(separator: "\n") }
}

/// The three tools every emitted module must pass.
enum FPToolCheck {
    /// Emits `module`'s design into a fresh directory; returns it and the file names.
    static func write(_ module: Module) throws -> (URL, [String]) {
        let files = SystemVerilogEmitter().emit(try Design(top: module))
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("fpunits-\(module.name)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for file in files {
            try file.text.write(to: dir.appendingPathComponent(file.fileName), atomically: true, encoding: .utf8)
        }
        return (dir, files.map(\.fileName))
    }

    /// `verilator --lint-only -Wall` and `iverilog -g2012`; throws on any warning or error.
    static func lintAndIcarus(_ module: Module) throws {
        let (dir, files) = try write(module)
        defer { try? FileManager.default.removeItem(at: dir) }
        let top = module.name
        try ProcessRunner.check(.verilator, ["--lint-only", "-Wall", "-y", dir.path, "--top-module", top, "\(top).sv"], in: dir)
        try ProcessRunner.check(.iverilog, ["-g2012", "-s", top, "-o", "design.vvp"] + files, in: dir)
    }

    /// Yosys `synth`; throws on any error.
    static func synthesize(_ module: Module) throws {
        let (dir, files) = try write(module)
        defer { try? FileManager.default.removeItem(at: dir) }
        try ProcessRunner.check(.yosys, ["-q", "-p", "read_verilog -sv \(files.joined(separator: " ")); synth -top \(module.name)"], in: dir)
    }
}
