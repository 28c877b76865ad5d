import Foundation
import HDL

/// A live Verilator model of one design, driven in-process through the shim's C entry points.
///
/// ```swift
/// let model = try VerilatorModel(design)           // builds or reuses the cached library
/// let a = try model.port("a"), y = try model.port("y")
/// a.write(3); model.step(); print(y.read())
/// ```
/// Not thread-safe: one model belongs to one test (create one per task).
public final class VerilatorModel {
    public let design: VerilogDesign
    public let library: VerilatedLibrary
    @usableFromInline let handle: UnsafeMutableRawPointer
    @usableFromInline let stepFunction: @convention(c) (UnsafeMutableRawPointer?, UInt64) -> Void
    @usableFromInline let evalFunction: @convention(c) (UnsafeMutableRawPointer?) -> Void
    private let ports: [String: VerilatorPort]
    /// The same ports in `design.ports` order.
    let portsByIndex: [VerilatorPort]

    /// Builds (or fetches from `cache`, default the shared cache) and instantiates `design`.
    public convenience init(_ design: VerilogDesign, options: VerilatorOptions = VerilatorOptions(),
                            cache: VerilatorBuildCache? = nil) throws {
        let cache = try cache ?? VerilatorBuildCache.shared()
        try self.init(design, library: cache.library(for: design, options: options))
    }

    /// Instantiates a model from an already loaded library.
    public init(_ design: VerilogDesign, library: VerilatedLibrary) throws {
        guard let handle = library.create() else {
            throw CosimError.loadFailed("creating \(design.topModule) failed")
        }
        self.design = design
        self.library = library
        self.handle = handle
        stepFunction = library.step
        evalFunction = library.eval
        var ports: [VerilatorPort] = []
        for (index, port) in design.ports.enumerated() {
            guard let storage = library.portData(handle, Int32(index)) else {
                library.destroy(handle)
                throw CosimError.loadFailed("no storage for port \(port.name)")
            }
            ports.append(VerilatorPort(description: port, storage: storage))
        }
        portsByIndex = ports
        self.ports = Dictionary(uniqueKeysWithValues: ports.map { ($0.description.name, $0) })
    }

    deinit { library.destroy(handle) }

    /// Direct access to a port's storage; throws `CosimError.unknownPort`.
    public func port(_ name: String) throws -> VerilatorPort {
        guard let port = ports[name] else {
            throw CosimError.unknownPort(name, design: design.topModule, known: design.ports.map(\.name))
        }
        return port
    }

    /// Settles combinational logic after inputs changed.
    @inlinable @inline(__always)
    public func eval() { evalFunction(handle) }

    /// Runs `cycles` rising clock edges (clock low + eval, clock high + eval, in the shim).
    /// Without a clock it only settles combinational logic.
    @inlinable @inline(__always)
    public func step(_ cycles: UInt64 = 1) { stepFunction(handle, cycles) }

    /// Whether the model was settled with the clock low (`settleLow`) and no input was written
    /// since through `write(port:_:)`: the next `stepSettled` may skip the first low-phase eval.
    var settledLow = false

    /// Sets the clock low and settles: what the first half of `step` does. In a design clocked on
    /// the rising edge only, outputs read the same as after `eval()`.
    public func settleLow() { library.settleLow(handle) }

    /// `step(cycles)` after `settleLow()` with no input changed since: the first cycle's low-phase
    /// eval, which would repeat `settleLow`'s exactly, is skipped.
    public func stepSettled(_ cycles: UInt64 = 1) { library.stepSettled(handle, cycles) }

    /// Throws `CosimError.simulationError` if the model hit `$fatal`, `$stop` or a runtime error.
    public func checkError() throws {
        guard let text = library.errorText(handle), text.pointee != 0 else { return }
        throw CosimError.simulationError("\(design.topModule): \(String(cString: text))")
    }

    /// Starts a VCD dump to `path`; the model must have been built with `trace: true`.
    public func startTrace(path: String) throws {
        guard library.hasTrace else {
            throw CosimError.unsupported("\(design.topModule) was built without tracing; build with VerilatorOptions(trace: true)")
        }
        guard library.traceOpen(handle, path) == 0 else {
            throw CosimError.unsupported("cannot open VCD file \(path)")
        }
    }

    /// Flushes the VCD file (it is closed when the model is released).
    public func flushTrace() { library.traceFlush(handle) }

    /// Writes the coverage counts so far to `path` (Verilator's `coverage.dat` format, which
    /// `verilator_coverage` reads); the model must be built with `VerilatorOptions.coverage`.
    public func writeCoverage(path: String) throws {
        guard library.hasCoverage else {
            throw CosimError.buildFailed("\(design.topModule) was built without coverage (VerilatorOptions.coverage)")
        }
        library.coverageWrite(handle, path)
    }
}
