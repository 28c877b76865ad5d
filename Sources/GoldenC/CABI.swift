import Golden

// The C ABI of the golden models (`libNormForgeGolden.so`), for the Python package in python/.
//
// Conventions shared by every `nf_*` entry point:
// - The return value is a status: 0 success, 1 a bad parameter or value (the message says which),
//   2 a bad buffer (a null pointer, a negative or oversized count, a wrong element size: a bug in
//   the caller's binding rather than in its data).
// - On failure a one-line UTF-8 message is written into `error` (at most `errorCapacity` bytes
//   including the terminating NUL, truncated at a character boundary); `error` may be null.
// - Encodings travel in host-order unsigned integer arrays of `elementBytes` bytes each (1, 2, 4
//   or 8), which must be the smallest of those that holds the format's width (`nf_format_info`
//   reports it). Bits above the width are ignored on input and zero on output.
// - Every entry point validates its input before it runs a golden model, and never traps; none
//   keeps state between calls (no mutable globals), so concurrent calls from threads are safe.

/// The version of this ABI; a binding checks it before anything else.
public let normForgeABIVersion: Int32 = 1

let statusOK: Int32 = 0
let statusInvalid: Int32 = 1
let statusBuffer: Int32 = 2

/// The largest element count one call takes (keeps every byte offset far from overflow).
let maxElements = 1 << 40

/// A failure to report across the boundary: its status and one-line message.
struct CABIFailure: Error {
    let status: Int32
    let message: String
    static func invalid(_ message: String) -> CABIFailure { CABIFailure(status: statusInvalid, message: message) }
    static func buffer(_ message: String) -> CABIFailure { CABIFailure(status: statusBuffer, message: message) }
}

/// Runs `body`; a thrown failure becomes its status, its message copied into `error`.
func reporting(_ error: UnsafeMutablePointer<CChar>?, _ capacity: Int64,
               _ body: () throws(CABIFailure) -> Void) -> Int32 {
    do {
        try body()
        return statusOK
    } catch let failure {
        writeMessage(failure.message, to: error, capacity: capacity)
        return failure.status
    }
}

/// Copies `message` into a caller's buffer, NUL-terminated, cut at a UTF-8 character boundary.
func writeMessage(_ message: String, to buffer: UnsafeMutablePointer<CChar>?, capacity: Int64) {
    guard let buffer, capacity >= 1 else { return }
    var bytes = Array(message.utf8)
    let room = Int(min(capacity - 1, Int64(Int32.max)))
    if bytes.count > room {
        var cut = room
        // Back up over continuation bytes (10xxxxxx) so that no character is split.
        while cut > 0 && bytes[cut] & 0xC0 == 0x80 { cut -= 1 }
        bytes = Array(bytes[..<cut])
    }
    for (i, b) in bytes.enumerated() { buffer[i] = CChar(bitPattern: b) }
    buffer[bytes.count] = 0
}

/// A NUL-terminated UTF-8 argument; `nil` when the pointer is null and `optional`.
func string(_ p: UnsafePointer<CChar>?, _ what: String) throws(CABIFailure) -> String {
    guard let p else { throw .buffer("\(what) is a null pointer") }
    return String(cString: p)
}

/// An optional string argument: null or empty is `nil`.
func optionalString(_ p: UnsafePointer<CChar>?) -> String? {
    guard let p, p.pointee != 0 else { return nil }
    return String(cString: p)
}

/// A count argument as an `Int`, checked to be in 0...maxElements.
func count(_ n: Int64, _ what: String) throws(CABIFailure) -> Int {
    guard n >= 0, n <= Int64(maxElements) else { throw .buffer("\(what) must be in 0...\(maxElements), got \(n)") }
    return Int(n)
}

/// Bytes one encoding of `width` bits occupies in a buffer: 1, 2, 4 or 8.
func storageBytes(width: Int) -> Int {
    width <= 8 ? 1 : width <= 16 ? 2 : width <= 32 ? 4 : 8
}

func checkElementBytes(_ bytes: Int32, width: Int, _ what: String) throws(CABIFailure) -> Int {
    let wanted = storageBytes(width: width)
    guard Int(bytes) == wanted else {
        throw .buffer("\(what) holds \(width)-bit encodings in \(wanted)-byte elements, got \(bytes)-byte elements")
    }
    return wanted
}

/// `count` encodings from a caller's buffer, each masked to `width` bits.
func readEncodings(_ p: UnsafeRawPointer?, count: Int, bytes: Int, width: Int, _ what: String) throws(CABIFailure) -> [UInt64] {
    if count == 0 { return [] }
    guard let p else { throw .buffer("\(what) is a null pointer") }
    let mask: UInt64 = width >= 64 ? ~0 : (UInt64(1) << UInt64(width)) - 1
    return [UInt64](unsafeUninitializedCapacity: count) { out, initialized in
        switch bytes {
        case 1: for i in 0..<count { out[i] = UInt64(p.loadUnaligned(fromByteOffset: i, as: UInt8.self)) & mask }
        case 2: for i in 0..<count { out[i] = UInt64(p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) & mask }
        case 4: for i in 0..<count { out[i] = UInt64(p.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)) & mask }
        default: for i in 0..<count { out[i] = p.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self) & mask }
        }
        initialized = count
    }
}

/// Writes encodings into a caller's buffer of `bytes`-byte elements.
func writeEncodings<C: Collection>(_ values: C, to p: UnsafeMutableRawPointer, startingAt start: Int = 0, bytes: Int)
where C.Element == UInt64 {
    var i = start
    for v in values {
        switch bytes {
        case 1: p.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: i, as: UInt8.self)
        case 2: p.storeBytes(of: UInt16(truncatingIfNeeded: v), toByteOffset: 2 * i, as: UInt16.self)
        case 4: p.storeBytes(of: UInt32(truncatingIfNeeded: v), toByteOffset: 4 * i, as: UInt32.self)
        default: p.storeBytes(of: v, toByteOffset: 8 * i, as: UInt64.self)
        }
        i += 1
    }
}

func output(_ p: UnsafeMutableRawPointer?, count: Int, _ what: String) throws(CABIFailure) -> UnsafeMutableRawPointer? {
    if count == 0 { return p }
    guard let p else { throw .buffer("\(what) is a null pointer") }
    return p
}

// MARK: Names

/// The format names the ABI accepts: Golden's (`FloatFormat.named`) and the names ML libraries
/// use for the OCP MX element types.
let formatAliases: [String: String] = [
    "fp8_e4m3": "e4m3", "fp8_e5m2": "e5m2", "fp6_e3m2": "e3m2", "fp6_e2m3": "e2m3", "fp4_e2m1": "e2m1",
    "float32": "fp32", "float16": "fp16", "bfloat16": "bf16", "float64": "fp64",
]

func format(named text: String) throws(CABIFailure) -> FloatFormat {
    let key = text.lowercased()
    guard let f = FloatFormat.named(formatAliases[key] ?? key) else {
        let known = FloatFormat.named.map(\.name) + formatAliases.keys.sorted()
        throw .invalid("unknown format '\(text)'; known: " + known.joined(separator: ", "))
    }
    return f
}

func format(_ p: UnsafePointer<CChar>?, _ what: String) throws(CABIFailure) -> FloatFormat {
    try format(named: try string(p, what))
}

/// The rounding modes of casts, by the names the Python package uses.
func roundingMode(_ p: UnsafePointer<CChar>?) throws(CABIFailure) -> RoundingMode {
    guard let name = optionalString(p) else { return .nearestEven }
    switch name.lowercased() {
    case "nearest", "nearest_even", "even": return .nearestEven
    case "nearest_away", "away": return .nearestAway
    case "toward_zero", "zero", "truncate": return .towardZero
    case "up", "toward_positive": return .up
    case "down", "toward_negative": return .down
    default:
        throw .invalid("unknown rounding '\(name)'; known: nearest, nearest_away, toward_zero, up, down")
    }
}

// MARK: Entry points: formats

/// The ABI version (`normForgeABIVersion`).
@_cdecl("nf_abi_version")
public func nf_abi_version() -> Int32 { normForgeABIVersion }

/// Describes a format: `info[0...5]` = width, exponent bits, fraction bits, specials (0 IEEE,
/// 1 NaN only at all ones (E4M3), 2 finite only), storage bytes, bias.
@_cdecl("nf_format_info")
public func nf_format_info(_ name: UnsafePointer<CChar>?, _ info: UnsafeMutablePointer<Int64>?,
                           _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int64) -> Int32 {
    reporting(error, errorCapacity) { () throws(CABIFailure) in
        let f = try format(name, "format")
        guard let info else { throw .buffer("info is a null pointer") }
        let specials: Int64 = switch f.specials { case .ieee: 0; case .nanOnlyAllOnes: 1; case .finiteOnly: 2 }
        let values: [Int64] = [Int64(f.width), Int64(f.exponentBits), Int64(f.fractionBits), specials,
                               Int64(storageBytes(width: f.width)), Int64(f.bias)]
        for (i, v) in values.enumerated() { info[i] = v }
    }
}

/// Rounds `count` binary64 values into encodings of `format` under `rounding` (null: nearest-even).
/// NaN becomes the canonical NaN (+0 in formats without NaN); overflow follows the soft-float's
/// policy (infinity in IEEE formats by the rounding direction, saturation in the MX formats).
@_cdecl("nf_encode")
public func nf_encode(_ formatName: UnsafePointer<CChar>?, _ rounding: UnsafePointer<CChar>?,
                      _ values: UnsafePointer<Double>?, _ n: Int64,
                      _ out: UnsafeMutableRawPointer?, _ elementBytes: Int32,
                      _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int64) -> Int32 {
    reporting(error, errorCapacity) { () throws(CABIFailure) in
        let f = try format(formatName, "format"), rm = try roundingMode(rounding)
        let n = try count(n, "count")
        let bytes = try checkElementBytes(elementBytes, width: f.width, "the output")
        guard n > 0 else { return }
        guard let values else { throw .buffer("values is a null pointer") }
        guard let out = try output(out, count: n, "the output") else { return }
        writeEncodings((0..<n).lazy.map { f.fromDouble(values[$0], rm) }, to: out, bytes: bytes)
    }
}

/// Decodes `count` encodings of `format` into binary64 values (exact for every named format; NaN
/// encodings give a quiet NaN).
@_cdecl("nf_decode")
public func nf_decode(_ formatName: UnsafePointer<CChar>?, _ bits: UnsafeRawPointer?, _ elementBytes: Int32,
                      _ n: Int64, _ out: UnsafeMutablePointer<Double>?,
                      _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int64) -> Int32 {
    reporting(error, errorCapacity) { () throws(CABIFailure) in
        let f = try format(formatName, "format")
        let n = try count(n, "count")
        let bytes = try checkElementBytes(elementBytes, width: f.width, "the input")
        let encodings = try readEncodings(bits, count: n, bytes: bytes, width: f.width, "the input")
        guard n > 0 else { return }
        guard let out else { throw .buffer("the output is a null pointer") }
        for i in 0..<n { out[i] = f.toDouble(encodings[i]) }
    }
}

/// Converts `count` encodings of format `from` into format `to`, each rounded once under
/// `rounding` (null: nearest-even): the golden model's `FloatFormat.convert`.
@_cdecl("nf_convert")
public func nf_convert(_ fromName: UnsafePointer<CChar>?, _ bits: UnsafeRawPointer?, _ fromBytes: Int32,
                       _ toName: UnsafePointer<CChar>?, _ out: UnsafeMutableRawPointer?, _ toBytes: Int32,
                       _ n: Int64, _ rounding: UnsafePointer<CChar>?,
                       _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int64) -> Int32 {
    reporting(error, errorCapacity) { () throws(CABIFailure) in
        let from = try format(fromName, "source format"), to = try format(toName, "target format")
        let rm = try roundingMode(rounding)
        let n = try count(n, "count")
        let inBytes = try checkElementBytes(fromBytes, width: from.width, "the input")
        let outBytes = try checkElementBytes(toBytes, width: to.width, "the output")
        let encodings = try readEncodings(bits, count: n, bytes: inBytes, width: from.width, "the input")
        guard let out = try output(out, count: n, "the output"), n > 0 else { return }
        writeEncodings(encodings.lazy.map { from.convert($0, to: to, rm) }, to: out, bytes: outBytes)
    }
}
