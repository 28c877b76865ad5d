/// Flags that keep known miscompilations of the tools we drive away from emitted
/// SystemVerilog. Every Verilator build NormForge makes or writes (in-process models, the
/// FuseSoC core's targets, the cocotb runner) passes them; docs/fuzzing.md lists each bug with
/// the fuzzed design that found it.
public enum ToolWorkarounds {
    /// Verilator 5.048's DFG peephole rewrites `(a << b) << c` as `a << (b + c)` (and `>>`
    /// likewise) with the sum in the width of the shift amounts, where it wraps: `(x << 1) << 1`
    /// with 1-bit amounts became `x << 0` (verilator#7955, fixed after 5.050; the DSL fuzzer's
    /// seed 2026 design 199). Verilator 5.006 has no such rewrite and accepts the flags.
    public static let verilatorFlags = ["-fno-dfg-peephole-replace-shiftl-shiftl", "-fno-dfg-peephole-replace-shiftr-shiftr"]
}
