import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A model library loaded with `dlopen(RTLD_NOW | RTLD_LOCAL)` and its C entry points.
///
/// `RTLD_LOCAL` plus the `-Bsymbolic` link keeps each library's Verilator runtime and model
/// classes private, so designs whose classes share a name coexist in one process. Libraries are
/// never unloaded: the Verilator runtime registers thread-local destructors, which makes
/// `dlclose` unsafe, and a test process loads only a handful.
public final class VerilatedLibrary: Sendable {
    typealias Create = @convention(c) () -> UnsafeMutableRawPointer?
    typealias Destroy = @convention(c) (UnsafeMutableRawPointer?) -> Void
    typealias Eval = @convention(c) (UnsafeMutableRawPointer?) -> Void
    typealias Step = @convention(c) (UnsafeMutableRawPointer?, UInt64) -> Void
    typealias PortData = @convention(c) (UnsafeMutableRawPointer?, Int32) -> UnsafeMutableRawPointer?
    typealias ErrorText = @convention(c) (UnsafeMutableRawPointer?) -> UnsafePointer<CChar>?
    typealias TraceOpen = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Int32
    typealias TraceFlush = @convention(c) (UnsafeMutableRawPointer?) -> Void
    typealias CoverageWrite = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Void

    /// The file this library was loaded from.
    public let path: String
    /// The ports in the library's table, in the design's declaration order.
    public let ports: [PortDescription]
    /// Whether the model was built with `--trace` and can write a VCD.
    public let hasTrace: Bool
    /// Whether the model was built with `--coverage` and counts its coverage points.
    public let hasCoverage: Bool

    let create: Create
    let destroy: Destroy
    let eval: Eval
    let step: Step
    /// `nf_settle_low` (an `Eval`) and `nf_step_settled` (a `Step`): see `VerilatorModel.settleLow`.
    let settleLow: Eval
    let stepSettled: Step
    let portData: PortData
    let errorText: ErrorText
    let traceOpen: TraceOpen
    let traceFlush: TraceFlush
    let coverageWrite: CoverageWrite

    private static let loaded = Mutex<[String: VerilatedLibrary]>([:])

    /// Loads (once per path) the library at `url` and checks its port table against `design`.
    static func load(_ url: URL, design: VerilogDesign) throws -> VerilatedLibrary {
        let library = try loaded.withLock { table in
            if let known = table[url.path] { return known }
            let opened = try VerilatedLibrary(path: url.path)
            table[url.path] = opened
            return opened
        }
        let declared = design.ports.map { "\($0.name):\($0.width):\($0.direction.rawValue)" }
        let actual = library.ports.map { "\($0.name):\($0.width):\($0.direction.rawValue)" }
        guard declared == actual else {
            throw CosimError.portMismatch("library \(url.lastPathComponent) has ports \(actual), design \(design.topModule) declares \(declared)")
        }
        return library
    }

    private init(path: String) throws {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw CosimError.loadFailed(String(cString: dlerror()))
        }
        func symbol<T>(_ name: String, as type: T.Type) throws -> T {
            guard let address = dlsym(handle, name) else {
                throw CosimError.loadFailed("\(path) has no symbol \(name)")
            }
            return unsafeBitCast(address, to: type)
        }
        let abi = try symbol("nf_abi_version", as: (@convention(c) () -> UnsafePointer<CChar>).self)
        guard String(cString: abi()) == ShimGenerator.abiVersion else {
            throw CosimError.loadFailed("\(path) was built for shim ABI \(String(cString: abi())), expected \(ShimGenerator.abiVersion)")
        }
        let count = try symbol("nf_port_count", as: (@convention(c) () -> Int32).self)()
        let name = try symbol("nf_port_name", as: (@convention(c) (Int32) -> UnsafePointer<CChar>).self)
        let width = try symbol("nf_port_width", as: (@convention(c) (Int32) -> Int32).self)
        let isOutput = try symbol("nf_port_is_output", as: (@convention(c) (Int32) -> Int32).self)
        ports = (0..<count).map { index in
            PortDescription(String(cString: name(index)), width: Int(width(index)),
                            isOutput(index) != 0 ? .output : .input)
        }
        hasTrace = try symbol("nf_has_trace", as: (@convention(c) () -> Int32).self)() != 0
        hasCoverage = try symbol("nf_has_coverage", as: (@convention(c) () -> Int32).self)() != 0
        self.path = path
        create = try symbol("nf_create", as: Create.self)
        destroy = try symbol("nf_destroy", as: Destroy.self)
        eval = try symbol("nf_eval", as: Eval.self)
        step = try symbol("nf_step", as: Step.self)
        settleLow = try symbol("nf_settle_low", as: Eval.self)
        stepSettled = try symbol("nf_step_settled", as: Step.self)
        portData = try symbol("nf_port_data", as: PortData.self)
        errorText = try symbol("nf_error", as: ErrorText.self)
        traceOpen = try symbol("nf_trace_open", as: TraceOpen.self)
        traceFlush = try symbol("nf_trace_flush", as: TraceFlush.self)
        coverageWrite = try symbol("nf_coverage_write", as: CoverageWrite.self)
    }
}
