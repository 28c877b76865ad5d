import Golden
import HDL

/// The stochastic-rounding LFSR in hardware: `LFSR32` advanced by n steps is a fixed GF(2) matrix,
/// so each lane's draw and the per-beat state update are XOR networks over the state register.
enum BFPLFSRNetwork {
    /// Column j is the state reached from the unit state e_j after `steps` steps.
    static func columns(steps: Int) -> [UInt32] {
        (0..<32).map { j in
            (0..<steps).reduce(UInt32(1) << UInt32(j)) { state, _ in LFSR32.step(state) }
        }
    }

    /// The 32-bit state `steps` steps after `state`.
    static func advance(_ state: Signal, steps: Int) -> Signal {
        if steps == 0 { return state }
        let cols = columns(steps: steps)
        let bits = (0..<32).map { i -> Signal in
            var row = 0
            for j in 0..<32 where cols[j] >> UInt32(i) & 1 == 1 { row |= 1 << j }
            return (state & Const(row, width: 32)).xorReduce()
        }
        return packLanes(bits)
    }
}
