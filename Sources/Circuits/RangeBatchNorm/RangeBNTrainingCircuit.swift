import Golden
import HDL

/// The range batch-norm training unit: the forward unit (`RangeBNUnitCircuit`, same ports) plus
/// the backward pass (golden model `RangeBatchNorm.gradients`, bit for bit), sharing its storage.
///
/// Backward ports:
/// - `dy_valid`, `dy_ready`, `dy_scale`, `dy_data`: dL/dy as blocks of the gradient-input format
///   in the forward's layout (n*C/g blocks, position-major); taken once the forward pass is idle,
///   for the tensor it finalized last.
/// - `dx_valid`, `dx_ready`, `dx_last`, `dx_scale`, `dx_data`: dL/dx as blocks of the
///   gradient-output format, same order.
/// - `dparam_valid`, `dparam_ready`, `dparam_channel`, `dparam_dgamma`, `dparam_dbeta` (FP32):
///   the parameter gradients, one channel per handshake, while dL/dx streams.
///
/// Three phases. Load: each dL/dy beat is stored in the gradient memory and dequantized; beside
/// it the forward's stored input beat is read back from the ring and dequantized, xhat =
/// (x - mean) * scale with the tensor's own mean and scale, and per channel sum g and sum g*xhat
/// accumulate in the statistics format. Finalize (C + 4 cycles): dgamma, dbeta, mean(g') and the
/// range term. Stream: the gradient memory is read back, dL/dx = (gamma g - mean(g')) * scale,
/// plus or minus the range term at each chunk's argmax or argmin (kept by the forward's
/// statistics pass), quantized into an output FIFO with credits as the forward's output.
public enum RangeBNTrainingCircuit {
    /// The module, named `rangebn_train_<config.nameSuffix>`; throws `RangeBatchNormError` if a
    /// submodule cannot be built.
    public static func module(_ config: RangeBNUnitConfig) throws -> Module {
        let parts = try RangeBNUnitParts(config)
        return Module("rangebn_train_\(config.nameSuffix)") {
            parts.backward(parts.forward(tracksExtremes: true, keepsScales: true))
        }
    }
}
