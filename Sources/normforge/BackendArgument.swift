import ArgumentParser
import Cosim

/// `--backend verilator|icarus|ir` (`ir-sim` is accepted too): where a `cosim` command runs.
extension SimulationBackend: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(rawValue: argument == "ir" ? SimulationBackend.irSim.rawValue : argument)
    }

    public static var allValueStrings: [String] { ["verilator", "icarus", "ir"] }
}
