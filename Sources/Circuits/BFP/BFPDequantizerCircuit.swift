import Golden
import HDL

/// BFP -> FP converter generator (golden model: `BFPFormat.dequantize`).
///
/// Ports: `in_valid`, `in_scale` (E8M0, the same on every beat of a block), `in_data` (P
/// elements) -> `out_valid`, `out_data` (P encodings of the FP format). Element-wise: unpack
/// (normalize subnormal floats and integer magnitudes), add the shared exponent, round to nearest
/// even into the target (exact for FP32 from the MX types), overflow to infinity | output register.
public enum BFPDequantizerCircuit {
    /// The module for `config`, named `bfp_dequantize_<suffix>` (the rounding and rule of the
    /// BFP format do not matter here).
    public static func module(_ config: BFPConverterConfig) -> Module {
        let p = config.lanes, target = config.floatFormat, element = config.bfp.element
        return Module("bfp_dequantize_\(config.nameSuffix)") {
            let inValid = Input("in_valid", .bool)
            let inScale = Input("in_scale", .bits(8))
            let inData = Input("in_data", .bits(p * element.width))
            let outValid = Output("out_valid", .bool)
            let outData = Output("out_data", .bits(p * target.width))
            let scaleNaN = inScale == 255
            let shared = inScale.zext(to: bfpExponentWidth).asSigned() &- 127
            let values = (0..<p).map { i -> Signal in
                let raw = inData.lane(i, width: element.width)
                let lane: BFPUnpackedLane
                switch element {
                case .int(let m): lane = bfpUnpackInt(raw, magnitudeBits: m)
                case .float(let f): lane = bfpUnpackFloat(raw, f, flush: false)
                }
                return decodeLane(lane, shared: shared, scaleNaN: scaleNaN, target: target)
            }
            outValid <== RegNext("d_valid", inValid, reset: 0)
            outData <== RegNext("d_data", packLanes(values))
        }
    }

    static func decodeLane(_ lane: BFPUnpackedLane, shared: Signal, scaleNaN: Signal, target: FloatFormat) -> Signal {
        let fb = target.fractionBits, pw = lane.significand.width
        let e = lane.exponent &+ shared
        let pre = max(0, fb - (pw - 1)), s0 = pw - 1 + pre - fb
        let denormalize = mux(e < target.minExponent, bfpExponent(target.minExponent) &- e, bfpExponent(0))
        let n = bfpRoundShift(lane.significand, pre: pre, shift: denormalize &+ s0, rounding: .nearestEven,
                              random: nil, randomBits: 1, outWidth: fb + 2)
        let magnitude = bfpPackMagnitude(exponent: e, n, target)
        let infinity = Int(target.infinity(sign: false)!)
        let overflow = (e > target.maxExponent) | (magnitude >= infinity)
        let finite = mux(overflow, Const(infinity, width: target.width - 1), magnitude.truncate(to: target.width - 1))
        let body = mux(lane.isZero, Const(0, width: target.width - 1),
                       mux(lane.isInfinite, Const(infinity, width: target.width - 1), finite))
        return mux(scaleNaN | lane.isNaN, Const(Int(target.canonicalNaN!), width: target.width), cat(lane.sign, body))
    }
}
