/// Circuit generators written in the HDL DSL: floating-point units, the IterNorm macro,
/// BFP converters and the range batch-norm unit.
public enum Circuits {}
