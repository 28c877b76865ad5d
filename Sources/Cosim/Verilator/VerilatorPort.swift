import HDL

/// Direct access to one port's storage inside a live Verilator model: the fast path for loops
/// that drive millions of cycles. Reads and writes are plain loads and stores, no lookup and no
/// allocation. Valid while its `VerilatorModel` is alive.
///
/// Storage follows Verilator: 8/16/32/64-bit integers up to 64 bits, and for wider ports an array
/// of 32-bit words, word 0 holding bits 31:0.
public struct VerilatorPort {
    public let description: PortDescription
    @usableFromInline let storage: UnsafeMutableRawPointer
    @usableFromInline let width: Int
    @usableFromInline let mask: UInt64

    init(description: PortDescription, storage: UnsafeMutableRawPointer) {
        self.description = description
        self.storage = storage
        width = description.width
        mask = width >= 64 ? ~0 : (UInt64(1) << UInt64(width)) - 1
    }

    /// The port's storage as Verilator's integer type for its width (`UInt8` up to 8 bits, then
    /// `UInt16`, `UInt32`, `UInt64`): the fastest access, a plain load or store, for hot loops.
    /// Throws if `type` is not that storage type (ports over 64 bits have no scalar storage).
    /// Writers must keep bits above the width clear.
    public func storage<T: FixedWidthInteger & UnsignedInteger>(as type: T.Type) throws -> UnsafeMutablePointer<T> {
        let expected = width <= 8 ? 8 : width <= 16 ? 16 : width <= 32 ? 32 : width <= 64 ? 64 : 0
        guard T.bitWidth == expected else {
            throw CosimError.badPortAccess(
                "port \(description.name) (\(width) bits) is stored as "
                + (expected == 0 ? "32-bit words" : "UInt\(expected)") + ", not \(T.self)")
        }
        return storage.assumingMemoryBound(to: T.self)
    }

    /// Writes the low `width` bits of `value` (ports up to 64 bits; for wider ports, bits 63:0
    /// and zeros above).
    @inlinable @inline(__always)
    public func write(_ value: UInt64) {
        let v = value & mask
        switch width {
        case ...8: storage.storeBytes(of: UInt8(truncatingIfNeeded: v), as: UInt8.self)
        case ...16: storage.storeBytes(of: UInt16(truncatingIfNeeded: v), as: UInt16.self)
        case ...32: storage.storeBytes(of: UInt32(truncatingIfNeeded: v), as: UInt32.self)
        case ...64: storage.storeBytes(of: v, as: UInt64.self)
        default:
            storage.storeBytes(of: UInt32(truncatingIfNeeded: v), as: UInt32.self)
            storage.storeBytes(of: UInt32(truncatingIfNeeded: v >> 32), toByteOffset: 4, as: UInt32.self)
            for word in 2..<(width + 31) / 32 { storage.storeBytes(of: UInt32(0), toByteOffset: 4 * word, as: UInt32.self) }
        }
    }

    /// The port's value (ports up to 64 bits; for wider ports, bits 63:0).
    @inlinable @inline(__always)
    public func read() -> UInt64 {
        switch width {
        case ...8: return UInt64(storage.load(as: UInt8.self))
        case ...16: return UInt64(storage.load(as: UInt16.self))
        case ...32: return UInt64(storage.load(as: UInt32.self))
        case ...64: return storage.load(as: UInt64.self)
        default:
            return UInt64(storage.load(as: UInt32.self)) | UInt64(storage.load(fromByteOffset: 4, as: UInt32.self)) << 32
        }
    }

    /// Writes a value of any width from little-endian 64-bit words (missing words are zero,
    /// bits above the width are dropped).
    public func write(words: UnsafeBufferPointer<UInt64>) {
        guard width > 64 else {
            write(words.isEmpty ? 0 : words[0])
            return
        }
        let storageWords = (width + 31) / 32
        for index in 0..<storageWords {
            let source = index / 2 < words.count ? words[index / 2] : 0
            var word = UInt32(truncatingIfNeeded: index % 2 == 0 ? source : source >> 32)
            if index == storageWords - 1, width % 32 != 0 { word &= (UInt32(1) << UInt32(width % 32)) - 1 }
            storage.storeBytes(of: word, toByteOffset: 4 * index, as: UInt32.self)
        }
    }

    /// Reads a value of any width into little-endian 64-bit words (`words.count` >= `(width+63)/64`).
    public func read(into words: UnsafeMutableBufferPointer<UInt64>) {
        guard width > 64 else {
            words[0] = read()
            return
        }
        let storageWords = (width + 31) / 32
        for index in 0..<(width + 63) / 64 {
            let low = UInt64(storage.load(fromByteOffset: 8 * index, as: UInt32.self))
            let high = 2 * index + 1 < storageWords
                ? UInt64(storage.load(fromByteOffset: 8 * index + 4, as: UInt32.self)) : 0
            words[index] = low | high << 32
        }
    }

    /// Writes a `BitVector` (of any width; it is truncated or zero-extended to the port).
    public func write(_ value: BitVector) {
        value.words.withUnsafeBufferPointer { write(words: $0) }
    }

    /// The port's value as a `BitVector`.
    public func readValue() -> BitVector {
        var words = [UInt64](repeating: 0, count: (width + 63) / 64)
        words.withUnsafeMutableBufferPointer { read(into: $0) }
        return BitVector(words: words, width: width)
    }
}
