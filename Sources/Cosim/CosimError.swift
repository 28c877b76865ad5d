/// Errors from building, loading and driving simulation models: every one says what to do next.
public enum CosimError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The design description is inconsistent (bad clock/reset, duplicate ports).
    case invalidDesign(String, String)
    /// A port name that the design does not have.
    case unknownPort(String, design: String, known: [String])
    /// A value that does not fit the port, or a poke of an output.
    case badPortAccess(String)
    /// Verilator or Icarus rejected the design, or the C++ compile of the model failed.
    case buildFailed(String)
    /// The ports Verilator generated disagree with the declared port list.
    case portMismatch(String)
    /// `dlopen`/`dlsym` failed on a built model.
    case loadFailed(String)
    /// The model stopped on `$fatal`/`$stop` or a Verilator runtime error.
    case simulationError(String)
    /// The cache directory cannot be used.
    case cacheUnusable(String)
    /// An operation the chosen backend cannot do (for example a VCD on a model built without trace).
    case unsupported(String)

    public var description: String {
        switch self {
        case .invalidDesign(let top, let message): return "design \(top): \(message)"
        case .unknownPort(let name, let design, let known):
            return "design \(design) has no port '\(name)' (ports: \(known.joined(separator: ", ")))"
        case .badPortAccess(let message): return message
        case .buildFailed(let message): return "build failed: \(message)"
        case .portMismatch(let message): return "port list does not match the Verilog: \(message)"
        case .loadFailed(let message): return "cannot load the Verilator model: \(message)"
        case .simulationError(let message): return "simulation error: \(message)"
        case .cacheUnusable(let message): return "build cache unusable: \(message)"
        case .unsupported(let message): return message
        }
    }
}
