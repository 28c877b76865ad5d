import Golden
import HDL

/// The range batch-norm unit (LightNorm-style forward pass; golden model `RangeBatchNorm`, bit
/// for bit, op order as documented there), streaming tensors back to back.
///
/// Ports:
/// - `in_valid`, `in_ready`, `in_scale` (E8M0), `in_data` (P elements): input blocks, g channels
///   at one position each, position-major, g/P beats per block; a tensor is n*C/g blocks.
/// - `param_valid`, `param_channel`, `param_gamma`, `param_beta` (FP32): writes gamma and beta of
///   one channel; a tensor takes both when its statistics are finalized (a few cycles after its
///   last input beat), so they may change while the tensor before it is still being normalized.
/// - `out_valid`, `out_ready`, `out_last` (last beat of a block), `out_scale`, `out_data`:
///   the normalized tensors as BFP blocks in the same order.
/// - `running_channel` -> `running_mean`, `running_range` (FP32): the running statistics
///   (`RangeBatchNormRunning`, momentum `config.momentum`), updated as each tensor is finalized.
///
/// Three passes per tensor, overlapped across tensors. Statistics: each input beat is written
/// to a ring memory of two tensors and dequantized; per channel the unit accumulates the sum in
/// the statistics format and each chunk's FP32 maximum and minimum, adding the chunk's range to
/// the range sum at the chunk's last position; the sums and range sums are copied aside as the
/// tensor completes, so the next tensor's statistics start at once. Finalize (one channel per
/// cycle through the Newton reciprocal): mean, range, d = range * C(n) + eps, 1/d,
/// a = scale * gamma, into the bank of per-channel values of the tensor's parity. Normalize:
/// the ring is read back through a second dequantizer, y = (x - mean) * a + beta per lane,
/// quantized by the FP32 -> BFP converter into an output FIFO; a beat is read only when the
/// FIFO will have room for it, so `out_ready` may drop at any time. Tensor k+1 streams in while
/// tensor k is normalized: sustained, a tensor per `config.sustainedCyclesPerTensor` cycles.
/// Every pipeline stage holds at most one FP operation (plus the per-channel muxes).
public enum RangeBNUnitCircuit {
    /// The module, named `rangebn_<config.nameSuffix>`; throws `RangeBatchNormError` if a
    /// submodule cannot be built.
    public static func module(_ config: RangeBNUnitConfig) throws -> Module {
        let parts = try RangeBNUnitParts(config)
        return Module("rangebn_\(config.nameSuffix)") {
            _ = parts.forward()
        }
    }
}
