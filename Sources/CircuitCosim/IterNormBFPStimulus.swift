import Circuits
import Golden

/// One input vector of the IterNorm macro with BFP ports: d / k_in blocks.
public struct IterNormBFPVector: Sendable, Hashable {
    /// Edge class or distribution, for reports.
    public let kind: String
    /// The blocks in stream order, k_in elements each.
    public let blocks: [BFPBlock]
}

/// The BFP edge classes of `IterNormBFPStimulus`, in stream order; the raw value names the class
/// in reports.
public enum IterNormBFPEdgeKind: String, CaseIterable, Sendable {
    case zeros
    case zeroBlock = "zero-block"
    case nanScale = "nan-scale"
    case maxScale = "max-scale"
    case minScale = "min-scale"
    case allEqual = "all-equal"
    case oneHuge = "one-huge"
    case saturation
}

/// Seeded stimulus for the IterNorm macro with BFP ports. The BFP edge classes come first (a
/// zero vector, one all-zero block, a NaN scale, the largest and smallest scales, an all-equal
/// vector, one huge element, a vector whose output saturates the output elements), then
/// IterNorm's FP edge classes quantized to the input format (NaN/Inf become NaN scales), then
/// random vectors: FP distributions quantized as a matmul engine would hand them over, and raw
/// element codes. Same seed, same vectors; gamma and beta are drawn once for the stream.
public struct IterNormBFPStimulus: Sendable {
    public let config: IterNormBFPConfig
    /// Length of every vector.
    public let d: Int
    /// The parameter memory contents (IterNorm format encodings), `nil` when unused.
    public let gamma: [UInt64]?
    public let beta: [UInt64]?
    private var rng: SeededRandom
    private var fp: IterNormStimulus
    private var inputQuantizer: BFPQuantizer

    /// The BFP edge classes, in order; `saturation` only where the output can saturate (the
    /// ceil rule never does).
    public var bfpEdgeKinds: [IterNormBFPEdgeKind] {
        IterNormBFPEdgeKind.allCases.filter { $0 != .saturation || config.output.rule == .floor }
    }
    /// IterNorm's FP edge classes that are quantized to the input format (zeros and all-equal
    /// already have BFP forms above).
    public static let fpEdgeKinds = IterNormEdgeKind.allCases.filter { $0 != .zeros && $0 != .allEqual }
    /// Every edge class's name, in the order `vector(_:)` emits them.
    public var edgeKinds: [String] { bfpEdgeKinds.map(\.rawValue) + Self.fpEdgeKinds.map(\.rawValue) }

    /// Draws at most this many random vectors looking for one whose output saturates.
    public static let saturationDraws = 4096

    /// Throws `IterNormError` when `d` is not legal for `config`.
    public init(config: IterNormBFPConfig, d: Int, seed: UInt64) throws(IterNormError) {
        try config.validate(d: d)
        self.config = config
        self.d = d
        rng = SeededRandom(seed: seed)
        fp = IterNormStimulus(config.iterNorm, seed: seed ^ 0x5EED_B10C)
        let parameters = fp.vector(IterNormStimulus.edgeKinds.count, d: d)
        gamma = parameters.gamma
        beta = parameters.beta
        do {
            inputQuantizer = try BFPQuantizer(format: config.input, source: config.iterNorm.format, seed: 1)
        } catch {
            throw IterNormError(error.message)
        }
    }

    /// Vector `index` of the stream: the edge classes, then random vectors. Throws only when no
    /// saturating vector turns up in `saturationDraws` draws.
    public mutating func vector(_ index: Int) throws(IterNormError) -> IterNormBFPVector {
        let bfpEdges = bfpEdgeKinds
        if index < bfpEdges.count { return try bfpEdge(bfpEdges[index]) }
        if index < bfpEdges.count + Self.fpEdgeKinds.count {
            return try quantized(fp.edge(Self.fpEdgeKinds[index - bfpEdges.count], d: d))
        }
        return index % 2 == 0 ? try quantized(fp.vector(IterNormStimulus.edgeKinds.count + index, d: d)) : rawCodes("raw-codes")
    }

    // MARK: Classes

    private var k: Int { config.input.blockSize }
    private var blockCount: Int { d / k }

    private mutating func bfpEdge(_ edge: IterNormBFPEdgeKind) throws(IterNormError) -> IterNormBFPVector {
        let kind = edge.rawValue
        switch edge {
        case .zeros:
            return IterNormBFPVector(kind: kind, blocks: (0..<blockCount).map { _ in BFPBlock(scale: randomScale(), elements: zeros) })
        case .zeroBlock:
            let scale = randomScale(), zeros = zeros
            return replacingOneBlock(of: rawCodes(kind)) { $0.scale = scale; $0.elements = zeros }
        case .nanScale:
            return replacingOneBlock(of: rawCodes(kind)) { $0.scale = BFPBlock.nanScale }
        case .maxScale:
            return replacingOneBlock(of: rawCodes(kind)) { $0.scale = BFPBlock.nanScale - 1 }
        case .minScale:
            return IterNormBFPVector(kind: kind, blocks: (0..<blockCount).map { _ in
                BFPBlock(scale: UInt8(rng.next() % 3), elements: (0..<k).map { _ in randomCode() })
            })
        case .allEqual:
            let block = BFPBlock(scale: randomScale(), elements: Array(repeating: randomCode(nonzero: true), count: k))
            return IterNormBFPVector(kind: kind, blocks: Array(repeating: block, count: blockCount))
        case .oneHuge:
            var blocks = rawCodes(kind).blocks.map { BFPBlock(scale: 127 - 8, elements: $0.elements) }
            let at = Int(rng.next() % UInt64(blockCount))
            blocks[at].scale = 127 + 30
            blocks[at].elements = blocks[at].elements.map { _ in randomCode(magnitudeBelow: 4) }
            blocks[at].elements[Int(rng.next() % UInt64(k))] = maxCode(sign: rng.next() & 1 == 1)
            return IterNormBFPVector(kind: kind, blocks: blocks)
        case .saturation:
            return try saturating()
        }
    }

    /// A random FP vector as a BFP matmul engine would hand it over.
    private mutating func quantized(_ v: IterNormVector) throws(IterNormError) -> IterNormBFPVector {
        do {
            return IterNormBFPVector(kind: v.kind, blocks: try inputQuantizer.quantize(stream: v.x))
        } catch {
            throw IterNormError(error.message)
        }
    }

    /// Blocks of arbitrary finite element codes at scales around 2^0.
    private mutating func rawCodes(_ kind: String) -> IterNormBFPVector {
        IterNormBFPVector(kind: kind, blocks: (0..<blockCount).map { _ in
            BFPBlock(scale: randomScale(), elements: (0..<k).map { _ in randomCode() })
        })
    }

    /// The first random vector whose normalized output exceeds the largest output element of its
    /// block (the quantizer clamps it): rejection sampling over quantized FP vectors.
    private mutating func saturating() throws(IterNormError) -> IterNormBFPVector {
        let golden = try IterNormBFPGolden(config)
        let norm = IterNorm(config.iterNorm)
        for draw in 0..<Self.saturationDraws {
            let candidate = try quantized(fp.vector(IterNormStimulus.edgeKinds.count + draw, d: d))
            let y = try norm.normalize(x: try golden.dequantize(candidate.blocks), gamma: gamma, beta: beta)
            if Self.saturates(y, output: config.output, format: config.iterNorm.format) {
                return IterNormBFPVector(kind: "saturation", blocks: candidate.blocks)
            }
        }
        throw IterNormError("no vector with a saturating output in \(Self.saturationDraws) draws")
    }

    /// Whether quantizing `y` to `output` clamps an element: |y| / 2^shared above the largest
    /// element magnitude, with the shared exponent the quantizer picks.
    public static func saturates(_ y: [UInt64], output: BFPFormat, format: FloatFormat) -> Bool {
        guard var quantizer = try? BFPQuantizer(format: output.with(rounding: .towardZero), source: format),
              let blocks = try? quantizer.quantize(stream: y) else { return false }
        let largest = largestElement(output)
        for (b, block) in blocks.enumerated() {
            guard let shared = block.sharedExponent else { continue }
            for i in 0..<output.blockSize {
                let value = abs(format.toDouble(y[b * output.blockSize + i]))
                if value.isFinite && value / Double(sign: .plus, exponent: shared, significand: 1) > largest { return true }
            }
        }
        return false
    }

    /// The largest element magnitude of `format` (at scale 2^0).
    static func largestElement(_ format: BFPFormat) -> Double {
        switch format.element {
        case .int(let m): return Double((1 << m) - 1) / Double(1 << (m - 1))
        case .float(let f): return f.toDouble(f.maxFinite(sign: false))
        }
    }

    // MARK: Pieces

    private var zeros: [UInt64] { Array(repeating: 0, count: k) }

    private mutating func replacingOneBlock(of vector: IterNormBFPVector, _ change: (inout BFPBlock) -> Void) -> IterNormBFPVector {
        var blocks = vector.blocks
        change(&blocks[Int(rng.next() % UInt64(blocks.count))])
        return IterNormBFPVector(kind: vector.kind, blocks: blocks)
    }

    private mutating func randomScale() -> UInt8 { UInt8(127 - 12 + Int(rng.next() % 25)) }

    private func maxCode(sign: Bool) -> UInt64 {
        switch config.input.element {
        case .int(let m):
            let magnitude = (UInt64(1) << UInt64(m)) - 1
            return sign ? ((UInt64(1) << UInt64(m + 1)) - magnitude) : magnitude
        case .float(let f): return f.maxFinite(sign: sign)
        }
    }

    /// A random finite element code (never NaN or infinity), optionally nonzero, or with a
    /// magnitude below 2^`magnitudeBelow` element units.
    private mutating func randomCode(nonzero: Bool = false, magnitudeBelow: Int? = nil) -> UInt64 {
        let width = config.input.element.width
        while true {
            var code = rng.next() & ((UInt64(1) << UInt64(width)) - 1)
            if let bits = magnitudeBelow {
                switch config.input.element {
                case .int(let m):
                    let magnitude = code & ((UInt64(1) << UInt64(bits)) - 1)
                    code = code >> UInt64(m) & 1 == 1 ? ((UInt64(1) << UInt64(m + 1)) - magnitude) & ((UInt64(1) << UInt64(m + 1)) - 1) : magnitude
                case .float(let f):
                    code &= f.signMask | ((UInt64(1) << UInt64(bits)) - 1)
                }
            }
            if case .float(let f) = config.input.element, f.isNaN(code) || f.isInfinite(code) { continue }
            if nonzero, code & ~signBit == 0 { continue }
            return code
        }
    }

    private var signBit: UInt64 {
        switch config.input.element {
        case .int: return 0
        case .float(let f): return f.signMask
        }
    }
}
