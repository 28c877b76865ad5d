import BigInt
import Golden
import Testing

// Every one of the 65,536 encodings of FP16 and BF16 through every unary operation and
// conversion, against native arithmetic (round-to-nearest-even) or the exact BigInt reference
// (every rounding mode).

/// The 16-bit formats with a native (or natively derivable) counterpart.
enum Native16: String, CaseIterable, CustomStringConvertible {
    case fp16, bf16
    var format: FloatFormat { self == .fp16 ? .fp16 : .bf16 }
    var description: String { rawValue }

    /// The exact value of an encoding as a Float (both formats widen exactly).
    func float(_ a: UInt64) -> Float {
        self == .fp16 ? Float(Float16(bitPattern: UInt16(a))) : floatFromBF16(a)
    }

    /// A Float rounded once to this format by the machine (FP16) or by bit arithmetic (BF16).
    func encode(_ x: Float) -> UInt64 {
        self == .fp16 ? UInt64(Float16(x).bitPattern) : bf16FromFloat(x)
    }
}

@Suite struct SoftFloatExhaustiveUnaryTests {
    static let allEncodings: Range<UInt64> = 0..<65_536

    @Test(arguments: Native16.allCases)
    func sqrtAndSignOperations(_ n: Native16) {
        let f = n.format
        var failures = 0
        for a in Self.allEncodings {
            let x = n.float(a)
            let checks: [(String, UInt64, UInt64)] = [
                // Float's 24 bits >= 2*11+2: rounding Float's root again is innocuous.
                ("sqrt", f.sqrt(a), n.encode(x.squareRoot())),
                ("negate", f.negate(a), n.encode(-x)),
                ("abs", f.abs(a), n.encode(Swift.abs(x))),
            ]
            for (name, soft, native) in checks where !matches(f, soft: soft, native: native) {
                failures += 1
                if failures < 10 { Issue.record("\(f) \(name)(\(hex(a))): soft \(hex(soft)) native \(hex(native))") }
            }
        }
        #expect(failures == 0)
    }

    @Test(arguments: Native16.allCases)
    func classificationAndFields(_ n: Native16) {
        let f = n.format
        for a in Self.allEncodings {
            let x = n.float(a)
            let expected: FloatClass
            if x.isNaN {
                expected = f.fractionField(a) >> UInt64(f.fractionBits - 1) == 0 ? .signalingNaN : .quietNaN
            } else if x.isInfinite {
                expected = x < 0 ? .negativeInfinity : .positiveInfinity
            } else if x.isZero {
                expected = x.sign == .minus ? .negativeZero : .positiveZero
            } else if f.exponentField(a) == 0 {
                expected = x < 0 ? .negativeSubnormal : .positiveSubnormal
            } else {
                expected = x < 0 ? .negativeNormal : .positiveNormal
            }
            #expect(f.classify(a) == expected, "\(f) classify(\(hex(a)))")
            let exponent = x.isFinite && !x.isZero ? Int(x.exponent) : nil
            #expect(f.unbiasedExponent(a) == exponent, "\(f) unbiasedExponent(\(hex(a)))")
            let d = f.toDouble(a)
            #expect(x.isNaN ? d.isNaN : d.bitPattern == Double(x).bitPattern, "\(f) toDouble(\(hex(a)))")
        }
    }

    @Test(arguments: Native16.allCases)
    func conversionsToIEEEFormats(_ n: Native16) {
        let f = n.format
        var failures = 0
        for a in Self.allEncodings {
            let x = n.float(a)
            let checks: [(String, FloatFormat, UInt64, UInt64)] = [
                ("fp32", .fp32, f.convert(a, to: .fp32), UInt64(x.bitPattern)),
                ("fp64", .fp64, f.convert(a, to: .fp64), Double(x).bitPattern),
                ("fp16", .fp16, f.convert(a, to: .fp16), UInt64(Float16(x).bitPattern)),
                ("bf16", .bf16, f.convert(a, to: .bf16), bf16FromFloat(x)),
                // Back from the exact FP32 value: round trip.
                ("fp32 back", f, FloatFormat.fp32.convert(UInt64(x.bitPattern), to: f), a),
            ]
            for (name, g, soft, native) in checks where !matches(g, soft: soft, native: native) {
                failures += 1
                if failures < 10 { Issue.record("\(f) -> \(name)(\(hex(a))): soft \(hex(soft)) native \(hex(native))") }
            }
        }
        #expect(failures == 0)
    }

    @Test(arguments: Native16.allCases)
    func conversionsToEveryFormatInEveryMode(_ n: Native16) {
        let f = n.format
        var failures = 0
        for a in Self.allEncodings where f.isFinite(a) {
            let exact = ExactValue(f, a)
            for target in allNamedFormats {
                for rm in RoundingMode.allCases {
                    let soft = f.convert(a, to: target, rm)
                    let expected = exact.rounded(to: target, rm, zeroSign: exact.sign)
                    if soft != expected {
                        failures += 1
                        if failures < 10 { Issue.record("\(f) -> \(target) \(rm)(\(hex(a))): soft \(hex(soft)) exact \(hex(expected))") }
                    }
                }
            }
        }
        #expect(failures == 0)
    }

    @Test(arguments: Native16.allCases)
    func nonFiniteConversions(_ n: Native16) {
        let f = n.format
        for a in Self.allEncodings where !f.isFinite(a) {
            for target in allNamedFormats {
                let soft = f.convert(a, to: target)
                if f.isNaN(a) {
                    #expect(soft == target.invalidResult)
                } else {
                    #expect(soft == (target.infinity(sign: f.sign(a)) ?? target.maxFinite(sign: f.sign(a))))
                }
            }
        }
    }

    @Test(arguments: Native16.allCases)
    func integerConversionsInEveryMode(_ n: Native16) {
        let f = n.format
        let rules: [(RoundingMode, FloatingPointRoundingRule)] = [
            (.nearestEven, .toNearestOrEven), (.nearestAway, .toNearestOrAwayFromZero),
            (.towardZero, .towardZero), (.up, .up), (.down, .down),
        ]
        for a in Self.allEncodings {
            let x = Double(n.float(a))
            for (rm, rule) in rules {
                let expected = x.isFinite ? Int64(exactly: x.rounded(rule)) : nil
                #expect(f.toInt(a, rm) == expected, "\(f) toInt(\(hex(a))) \(rm)")
            }
        }
        // Every Int16, and integers around each power of two, into the format.
        var integers = (Int64(Int16.min)...Int64(Int16.max)).map { $0 }
        for k in 16..<63 { integers += [(1 << k) - 1, 1 << k, (1 << k) + 1, -(1 << k) - 1] }
        integers += [.max, .min, .min + 1]
        for i in integers {
            for (rm, _) in rules {
                let exact = ExactValue(sign: i < 0, magnitude: BigUInt(i.magnitude), exponent: 0)
                #expect(f.fromInt(i, rm) == exact.rounded(to: f, rm, zeroSign: false), "\(f) fromInt(\(i)) \(rm)")
            }
        }
    }

    @Test(arguments: Native16.allCases)
    func scaleByPowersOfTwo(_ n: Native16) {
        let f = n.format
        for a in Self.allEncodings {
            let x = Double(n.float(a))
            for k in [-40, -17, -3, -1, 0, 1, 5, 17, 40] {
                let scaled = x * Double(sign: .plus, exponent: k, significand: 1)  // exact in Double
                let native = n == .fp16 ? UInt64(Float16(scaled).bitPattern) : bf16FromDouble(scaled)
                #expect(matches(f, soft: f.scaleB(a, k), native: native), "\(f) scaleB(\(hex(a)), \(k))")
            }
        }
    }
}

/// BF16 nearest-even from an exact Double (via the exact BigInt reference: Double -> Float
/// would round twice).
func bf16FromDouble(_ x: Double) -> UInt64 {
    if x.isNaN { return FloatFormat.bf16.canonicalNaN! }
    if x.isInfinite { return FloatFormat.bf16.infinity(sign: x < 0)! }
    return ExactValue(.fp64, x.bitPattern).rounded(to: .bf16, .nearestEven, zeroSign: x.sign == .minus)
}
