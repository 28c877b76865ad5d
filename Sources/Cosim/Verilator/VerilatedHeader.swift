import Foundation

/// A top-level port as Verilator declared it in the generated `V<top>.h`.
struct VerilatedPort: Sendable, Hashable, Codable {
    /// The port's name in the Verilog source.
    let name: String
    /// The C++ member that stores it (C++ keywords get a `__SYM__` prefix, odd characters `__0XX`).
    let member: String
    let width: Int
    let direction: PortDirection
    /// Storage: 8/16/32/64-bit integer, or an array of 32-bit words for wider ports.
    var isWide: Bool { width > 64 }
}

/// Reads the port declarations (`VL_IN8(&clk,0,0);`, `VL_OUTW(&y,2047,0,64);`) of a Verilated
/// model header; that header is the authority on member names and storage types.
enum VerilatedHeader {
    static func ports(in header: String, top: String) throws -> [VerilatedPort] {
        var ports: [VerilatedPort] = []
        for rawLine in header.split(separator: "\n") {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("VL_IN") || line.hasPrefix("VL_OUT"), let open = line.firstIndex(of: "("),
                  let close = line.lastIndex(of: ")") else { continue }
            let macro = String(line[..<open])
            let arguments = line[line.index(after: open)..<close].split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard arguments.count >= 3, arguments[0].hasPrefix("&"),
                  let msb = Int(arguments[1]), let lsb = Int(arguments[2]) else {
                throw CosimError.buildFailed("unexpected port declaration in V\(top).h: \(line)")
            }
            if macro.hasPrefix("VL_INOUT") {
                throw CosimError.portMismatch("inout ports are not supported (\(line))")
            }
            guard lsb == 0, msb >= 0 else {
                throw CosimError.portMismatch("port \(arguments[0].dropFirst()) must be declared [N-1:0], found [\(msb):\(lsb)]")
            }
            let member = String(arguments[0].dropFirst())
            ports.append(VerilatedPort(name: decode(member), member: member, width: msb + 1,
                                       direction: macro.hasPrefix("VL_IN") ? .input : .output))
        }
        return ports
    }

    /// Undoes Verilator's name protection: `__SYM__` before C++ keywords, `__0XX` for a character
    /// with hex code XX.
    static func decode(_ member: String) -> String {
        var name = Substring(member)
        if name.hasPrefix("__SYM__") { name = name.dropFirst(7) }
        var result = ""
        var rest = name[...]
        while let range = rest.range(of: "__0") {
            let hexStart = range.upperBound
            guard let hexEnd = rest.index(hexStart, offsetBy: 2, limitedBy: rest.endIndex),
                  let code = UInt8(rest[hexStart..<hexEnd], radix: 16) else {
                result += rest[..<range.upperBound]
                rest = rest[range.upperBound...]
                continue
            }
            result += rest[..<range.lowerBound]
            result.append(Character(Unicode.Scalar(code)))
            rest = rest[hexEnd...]
        }
        return result + rest
    }

    /// Checks the declared ports against what Verilator generated, by name, width and direction.
    static func match(declared: [PortDescription], generated: [VerilatedPort], top: String) throws -> [VerilatedPort] {
        var byName: [String: VerilatedPort] = [:]
        for port in generated { byName[port.name] = port }
        var ordered: [VerilatedPort] = []
        for port in declared {
            guard let found = byName.removeValue(forKey: port.name) else {
                throw CosimError.portMismatch("\(top) has no port \(port.name) in the Verilog")
            }
            guard found.width == port.width, found.direction == port.direction else {
                throw CosimError.portMismatch(
                    "\(top).\(port.name) is declared \(port.direction.rawValue) of \(port.width) bits, the Verilog has \(found.direction.rawValue) of \(found.width) bits")
            }
            ordered.append(found)
        }
        if let extra = byName.keys.sorted().first {
            throw CosimError.portMismatch("\(top).\(extra) is in the Verilog but not in the port list")
        }
        return ordered
    }
}
