import Circuits
import Cosim
import Foundation
import Golden
import HDL
import Testing

/// fp32 with one more exponent bit: the IterNorm mean format.
let fp32e9 = FloatFormat(name: "fp32e9", exponentBits: 9, fractionBits: 23)

/// The signed width of the runtime scale `k` in the benches: reaches past every overflow and
/// underflow of the format.
private func scaleWidth(_ format: FloatFormat) -> Int { format.exponentBits + 3 }

/// One source format's unary units under one top: exponent, classify, scaleB by `k`, and
/// conversions to each of `targets`.
private func unaryBench(_ format: FloatFormat, targets: [FloatFormat]) throws -> Module {
    let units = try FloatUnits(format)
    var modules = [("exp", try units.exponentModule()), ("class", try units.classifyModule()),
                   ("scale", try units.scaleBModule(kWidth: scaleWidth(format)))]
    for (index, target) in targets.enumerated() {
        modules.append(("cvt\(index)", try units.convertModule(to: FloatUnits(target))))
    }
    return Module("FPUnaryBench_\(units.tag)") {
        let a = Input("a", .bits(units.width)), k = Input("k", .sint(scaleWidth(format)))
        for (name, module) in modules {
            let unit = Instance(module, name)
            unit.a <== a
            unit.valid_in <== 1
            if module.port(named: "k") != nil { unit.k <== k }
            for port in module.ports.map({ module[signal: $0] }) where port.kind == .output && port.name != "valid_out" {
                let output = Output("o_\(name)_\(port.name)", port.type)
                output <== unit[port.name]
            }
        }
    }
}

/// Checks every unary unit of `format` on `operands`, with the scale amounts `scales(a)`.
private func checkUnary(_ format: FloatFormat, targets: [FloatFormat], operands: some Sequence<UInt64>,
                        scales: (UInt64) -> [Int]) throws -> MismatchLog {
    let model = try FPSimulation.model(unaryBench(format, targets: targets))
    let a = try model.port("a"), k = try model.port("k")
    let exponent = try model.port("o_exp_y"), scaled = try model.port("o_scale_y")
    let classNames = ["is_nan", "is_inf", "is_zero", "is_subnormal", "is_normal", "sign", "is_quiet_nan"]
    let classPorts = try classNames.map { try model.port("o_class_\($0)") }
    let converted = try targets.indices.map { try model.port("o_cvt\($0)_y") }
    let expWidth = try FloatUnits(format).exponentWidth
    let kMask = (UInt64(1) << UInt64(scaleWidth(format))) - 1
    var log = MismatchLog()
    for x in operands {
        a.write(x)
        k.write(0)
        model.eval()
        let expected = format.unbiasedExponent(x) ?? 0
        let got = Int64(bitPattern: exponent.read() << UInt64(64 - expWidth)) >> Int64(64 - expWidth)
        log.check(UInt64(bitPattern: got), UInt64(bitPattern: Int64(expected)), "E(\(decode(x, format))): got \(got), expected \(expected)")
        let c = format.classify(x)
        let flags: [Bool] = [format.isNaN(x), format.isInfinite(x), format.isZero(x), format.isSubnormal(x),
                             [.negativeNormal, .positiveNormal].contains(c), format.sign(x), c == .quietNaN]
        for (index, flag) in flags.enumerated() {
            log.check(classPorts[index].read(), flag ? 1 : 0, "\(classNames[index])(\(decode(x, format)))")
        }
        for (index, target) in targets.enumerated() {
            let want = format.convert(x, to: target), got = converted[index].read()
            log.check(got, want, "convert \(decode(x, format)) to \(target): got \(decode(got, target)), expected \(decode(want, target))")
        }
        for shift in scales(x) {
            k.write(UInt64(bitPattern: Int64(shift)) & kMask)
            model.eval()
            let want = format.scaleB(x, shift), got = scaled.read()
            log.check(got, want, "scaleB(\(decode(x, format)), \(shift)): got \(decode(got, format)), expected \(decode(want, format))")
        }
    }
    try model.checkError()
    return log
}

/// Scale amounts around every boundary: small steps, the subnormal and overflow edges, the
/// extremes of the `k` input.
private func boundaryScales(_ format: FloatFormat) -> [Int] {
    let limit = 1 << (scaleWidth(format) - 1)
    let span = format.maxExponent - format.minExponent + format.fractionBits
    var scales = Array(-4...4) + [-limit, limit - 1, -limit + 1, limit - 2]
    for edge in [span, span + 1, span + 2, format.fractionBits, format.fractionBits + 1, format.maxExponent] {
        scales += [edge, -edge]
    }
    return scales
}

@Suite struct FPUnaryTests {
    static let halfFormats: [(FloatFormat, [FloatFormat])] = [
        (.fp16, [.fp32, .bf16, fp32e9]), (.bf16, [.fp32, .fp16, fp32e9]),
    ]

    /// Every 16-bit encoding, each scaled by the boundary amounts plus a random one.
    @Test(arguments: [0, 1])
    func exhaustive16BitUnaryUnitsMatchGolden(formatIndex: Int) throws {
        let (format, targets) = FPUnaryTests.halfFormats[formatIndex]
        var random = SeededRandom(seed: 0x16 + UInt64(formatIndex))
        let boundaries = boundaryScales(format)
        let limit = 1 << (scaleWidth(format) - 1)
        let log = try checkUnary(format, targets: targets, operands: 0..<UInt64(1 << 16)) { _ in
            boundaries + [Int(random.next() % UInt64(2 * limit)) - limit]
        }
        #expect(log.checked == (1 << 16) * (8 + targets.count + boundaries.count + 1))
        #expect(log.count == 0, "\(format): \(log.report)")
    }

    @Test(arguments: [(FloatFormat.fp32, [FloatFormat.bf16, .fp16, fp32e9]), (fp32e9, [.fp32, .bf16, .fp16])])
    func millionRandomUnaryMatchGolden(format: FloatFormat, targets: [FloatFormat]) throws {
        var generator = FPOperandGenerator(format, seed: 0x32 + UInt64(format.exponentBits))
        let edges = FPOperandGenerator.edgeValues(format)
        let operands = edges + (0..<1_000_000).map { _ in generator.next() }
        let boundaries = boundaryScales(format)
        let limit = 1 << (scaleWidth(format) - 1)
        var random = SeededRandom(seed: 0x5CA1E)
        let log = try checkUnary(format, targets: targets, operands: operands) { x in
            edges.contains(x) ? boundaries : [Int(random.next() % UInt64(2 * limit)) - limit,
                                              Int(random.next() % 64) - 32]
        }
        #expect(log.count == 0, "\(format): \(log.report)")
    }
}
