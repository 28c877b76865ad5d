import ArgumentParser
import Cosim

/// The run options of the block-stream co-simulations (`cosim bfp-convert|bfp-deconvert|range-bn`).
struct BlockCosimOptions: ParsableArguments {
    @Option(help: "Random blocks after the edge-class blocks (range-bn: rounded up to whole tensors).")
    var blocks: Int = 1000
    @Option(help: "Stimulus seed.")
    var seed: UInt64 = 1
    @Option(help: "Simulator: verilator, icarus (replayed from the IR simulator's run) or ir.")
    var backend = SimulationBackend.verilator
    @OptionGroup var gateLevel: GateLevelOptions
}
