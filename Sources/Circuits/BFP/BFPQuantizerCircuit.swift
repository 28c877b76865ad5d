import Golden
import HDL

/// FP -> BFP converter generator (golden model: `BFPQuantizer`).
///
/// Ports: `in_valid`, `in_data` (P source encodings, lane 0 in the low bits) -> `out_valid`,
/// `out_last` (last beat of a block), `out_scale` (E8M0), `out_data` (P elements).
/// Pipeline: decode (normalize subnormals, per-lane floor/ceil log2) | max-tree over the beat and
/// running max over the block's beats, shared exponent; decoded beats wait in a 2k/P-beat buffer
/// until their block's scale is known, then drain one per cycle | shift with guard/sticky (or
/// stochastic bits), round, renormalize, saturate, encode | output register.
public enum BFPQuantizerCircuit {
    /// The module for `config`, named `bfp_quantize_<suffix>`.
    public static func module(_ config: BFPConverterConfig) -> Module {
        let p = config.lanes, src = config.floatFormat, bfp = config.bfp
        let xw = bfpExponentWidth
        let sigWidth = src.precision
        let laneWidth = 2 + xw + sigWidth  // sign, zero, exponent, significand
        return Module("bfp_quantize_\(config.nameSuffix)") {
            let inValid = Input("in_valid", .bool)
            let inData = Input("in_data", .bits(p * src.width))
            let outValid = Output("out_valid", .bool)
            let outLast = Output("out_last", .bool)
            let outScale = Output("out_scale", .bits(8))
            let outData = Output("out_data", .bits(p * bfp.element.width))

            // Stage 1: decoded lanes, their largest log2 and the special/nonzero flags.
            let lanes = (0..<p).map { bfpUnpackFloat(inData.lane($0, width: src.width), src, flush: bfp.flushSubnormals) }
            let s1Valid = RegNext("s1_valid", inValid, reset: 0)
            let s1Lanes = RegNext("s1_lanes", packLanes(lanes.map { cat($0.sign, $0.isZero, $0.exponent, $0.significand) }))
            let s1Max = RegNext("s1_max", beatMax(lanes, rule: bfp.rule))
            let s1Nonzero = RegNext("s1_nonzero", bfpAny(lanes.map { ~$0.isZero }))
            let s1Special = RegNext("s1_special", bfpAny(lanes.map(\.isSpecial)))

            // Block accumulation over the k/P beats of a block (nothing to accumulate when P = k).
            let beats = config.beatsPerBlock
            let acc = beats > 1 ? BlockAccumulator(beats: beats) : nil
            let first = acc.map { $0.beat == 0 } ?? Const(1, width: 1)
            let last = acc.map { $0.beat == beats - 1 } ?? Const(1, width: 1)
            let curMax = acc.map { mux(first | (s1Max > $0.max), s1Max, $0.max) } ?? s1Max
            let curNonzero = acc.map { s1Nonzero | (~first & $0.nonzero) } ?? s1Nonzero
            let curSpecial = acc.map { s1Special | (~first & $0.special) } ?? s1Special
            let shared = curMax &- bfp.element.maxExponent
            let blockShared = mux(~curNonzero | (shared < -127), bfpExponent(-127), shared)
            let blockNaN = curSpecial | (curNonzero & (shared > 127))
            When(s1Valid) {
                if let acc {
                    acc.max <== curMax
                    acc.nonzero <== curNonzero
                    acc.special <== curSpecial
                    acc.beat <== mux(last, Const(0, width: acc.beat.width), acc.beat &+ 1)
                }
            }

            // Beats wait in a buffer until their block's scale is known; a block drains one beat
            // per cycle from the cycle after its last beat arrived.
            // Depth 2k/P: the block being drained plus the block arriving.
            let buffer = RegisterQueue("buf", depth: 2 * beats, width: p * laneWidth + 1)
            let scales = ScaleQueue()
            let pop = scales.count != 0
            let head = buffer.head
            let headLast = head[p * laneWidth]
            buffer.update(push: s1Valid, data: cat(last, s1Lanes), pop: pop)
            scales.update(push: s1Valid & last, shared: blockShared, nan: blockNaN, pop: pop & headLast)
            let currentShared = scales.headShared, currentNaN = scales.headNaN

            // Quantize stage.
            let lfsr = bfp.rounding == .stochastic
                ? Reg("lfsr", .bits(32), resetBits: BitVector(Int(config.seed), width: 32)) : nil
            if let lfsr {
                When(pop) { lfsr <== BFPLFSRNetwork.advance(lfsr, steps: p * bfp.stochasticBits) }
            }
            let random = lfsr.map { state in
                (0..<p).map { BFPLFSRNetwork.advance(state, steps: $0 * bfp.stochasticBits)[bfp.stochasticBits - 1, 0] }
            }
            let elements = (0..<p).map { i -> Signal in
                let lane = head.lane(i, width: laneWidth)
                let element = quantizeLane(sign: lane[laneWidth - 1], isZero: lane[laneWidth - 2],
                                           exponent: lane[sigWidth + xw - 1, sigWidth].asSigned(),
                                           significand: lane[sigWidth - 1, 0], shared: currentShared,
                                           config: config, random: random.map { $0[i] })
                return mux(currentNaN, Const(0, width: bfp.element.width), element)
            }
            let scale = mux(currentNaN, Const(255, width: 8), (currentShared &+ 127).truncate(to: 8).asUnsigned())
            outValid <== RegNext("q_valid", pop, reset: 0)
            outLast <== RegNext("q_last", headLast)
            outScale <== RegNext("q_scale", scale)
            outData <== RegNext("q_data", packLanes(elements))
        }
    }

    /// Per-lane floor or ceil log2, zeros at the bottom, reduced by a max-tree.
    static func beatMax(_ lanes: [BFPUnpackedLane], rule: BFPScaleRule) -> Signal {
        bfpMaxTree(lanes.map { lane in
            let log2 = rule == .floor ? lane.exponent
                : lane.exponent &+ (~lane.isPowerOfTwo).zext(to: bfpExponentWidth).asSigned()
            return mux(lane.isZero, bfpExponent(-(1 << (bfpExponentWidth - 1))), log2)
        })
    }

    /// The running state of a block spread over several beats.
    struct BlockAccumulator {
        let beat: Signal, max: Signal, nonzero: Signal, special: Signal

        init(beats: Int) {
            beat = Reg("beat", .uint(bitsFor(beats - 1)), reset: 0)
            max = Reg("acc_max", .sint(bfpExponentWidth))
            nonzero = Reg("acc_nonzero", .bool)
            special = Reg("acc_special", .bool)
        }
    }

    /// The shared exponents of the (at most two) completed blocks not yet drained.
    struct ScaleQueue {
        let shared: [Signal], nan: [Signal], headIndex: Signal, count: Signal

        init() {
            shared = (0..<2).map { Reg("scale\($0)_shared", .sint(bfpExponentWidth)) }
            nan = (0..<2).map { Reg("scale\($0)_nan", .bool) }
            headIndex = Reg("scale_head", .bool, reset: 0)
            count = Reg("scale_count", .uint(2), reset: 0)
        }

        var headShared: Signal { mux(headIndex, shared[1], shared[0]) }
        var headNaN: Signal { mux(headIndex, nan[1], nan[0]) }

        func update(push: Signal, shared value: Signal, nan isNaN: Signal, pop: Signal) {
            let tail = headIndex ^ (count == 1)
            When(push) {
                When(tail) {
                    shared[1] <== value
                    nan[1] <== isNaN
                }.Otherwise {
                    shared[0] <== value
                    nan[0] <== isNaN
                }
            }
            When(pop) { headIndex <== ~headIndex }
            count <== count &+ push.zext(to: 2) &- pop.zext(to: 2)
        }
    }

    /// One element from a decoded lane and the block's shared exponent.
    static func quantizeLane(sign: Signal, isZero: Signal, exponent: Signal, significand: Signal,
                             shared: Signal, config: BFPConverterConfig, random: Signal?) -> Signal {
        let bfp = config.bfp, fb = config.floatFormat.fractionBits
        let ev = exponent &- shared  // floor(log2) of the element value
        switch bfp.element {
        case .float(let f):
            let pre = max(0, f.fractionBits - fb), s0 = fb + pre - f.fractionBits
            let denormalize = mux(ev < f.minExponent, bfpExponent(f.minExponent) &- ev, bfpExponent(0))
            let n = bfpRoundShift(significand, pre: pre, shift: denormalize &+ s0, rounding: bfp.rounding,
                                  random: random, randomBits: bfp.stochasticBits, outWidth: f.fractionBits + 2)
            let magnitude = bfpPackMagnitude(exponent: ev, n, f)
            let maxMagnitude = Int(f.maxFinite(sign: false))
            let saturated = mux(magnitude > maxMagnitude, Const(maxMagnitude, width: magnitude.width), magnitude)
            let body = mux(isZero, Const(0, width: f.width - 1), saturated.truncate(to: f.width - 1))
            return cat(sign, body)
        case .int(let m):
            let pre = max(0, m - 1 - fb), s0 = fb + pre - (m - 1)
            let n = bfpRoundShift(significand, pre: pre, shift: bfpExponent(s0) &- ev, rounding: bfp.rounding,
                                  random: random, randomBits: bfp.stochasticBits, outWidth: m + 1)
            let magnitude = mux(n[m], bfpOnes(m), n[m - 1, 0]).zext(to: m + 1)
            let signed = mux(sign, Const(0, width: m + 1) &- magnitude, magnitude)
            return mux(isZero, Const(0, width: m + 1), signed)
        }
    }
}
