/// Gives meaning to the generic group tree: units, cells, pins, state elements. Every value that
/// does not read is an error naming the attribute's line.
struct LibertyReader {
    let path: String?

    func error(_ message: String, line: Int) -> LibertyError {
        LibertyError(path: path, line: line, message: message)
    }

    static let timeScales: [String: Double] = ["s": 1e9, "ms": 1e6, "us": 1e3, "ns": 1, "ps": 1e-3, "fs": 1e-6]
    static let powerScales: [String: Double] = ["W": 1, "mW": 1e-3, "uW": 1e-6, "nW": 1e-9, "pW": 1e-12, "fW": 1e-15]
    static let capacitanceScales: [String: Double] = ["nf": 1e3, "pf": 1, "ff": 1e-3]

    func number(_ attribute: LibertyAttribute) throws -> Double {
        try number(attribute.value, attribute)
    }

    func number(_ text: String, _ attribute: LibertyAttribute) throws -> Double {
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)) else {
            throw error("\(attribute.name) '\(text)' is not a number", line: attribute.line)
        }
        return value
    }

    /// "10ps" -> 10 * scale("ps"); nil attribute -> `fallback`.
    func unit(_ attribute: LibertyAttribute?, scales: [String: Double], default fallback: Double) throws -> Double {
        guard let attribute else { return fallback }
        let text = attribute.value.trimmingCharacters(in: .whitespaces)
        let digits = text.prefix { $0.isNumber || $0 == "." }
        let suffix = text.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        guard let magnitude = Double(digits), let scale = scales[suffix] else {
            throw error("\(attribute.name) '\(text)' is not a known unit (\(scales.keys.sorted().joined(separator: ", ")))",
                        line: attribute.line)
        }
        return magnitude * scale
    }

    /// `capacitive_load_unit (1, pf)`, in picofarads.
    func capacitanceUnit(_ attribute: LibertyAttribute?) throws -> Double {
        guard let attribute else { return 1 }
        guard attribute.values.count == 2, let scale = Self.capacitanceScales[attribute.values[1].lowercased()] else {
            throw error("capacitive_load_unit (\(attribute.values.joined(separator: ", "))) is not (number, pf|ff|nf)",
                        line: attribute.line)
        }
        return try number(attribute.values[0], attribute) * scale
    }

    func expression(_ attribute: LibertyAttribute) throws -> LibertyExpression {
        do {
            return try LibertyExpression.parse(attribute.value)
        } catch let failure as LibertyError {
            throw error("\(attribute.name): \(failure.message)", line: attribute.line)
        }
    }

    func boolean(_ attribute: LibertyAttribute?) throws -> Bool {
        guard let attribute else { return false }
        switch attribute.value.lowercased() {
        case "true": return true
        case "false": return false
        default: throw error("\(attribute.name) '\(attribute.value)' is not true or false", line: attribute.line)
        }
    }

    func cell(_ group: LibertyGroup) throws -> LibertyCell {
        guard let name = group.arguments.first, !name.isEmpty else { throw error("a cell without a name", line: group.line) }
        guard let areaAttribute = group.simple("area") else { throw error("cell \(name) has no area", line: group.line) }
        let area = try number(areaAttribute)
        let leakage = try group.simple("cell_leakage_power").map { try number($0) }
        var pins: [LibertyPin] = []
        var storage: LibertyStorage?
        var unmodeled: [String] = []
        for child in group.groups {
            switch child.name {
            case "pin":
                for pinName in child.arguments { pins.append(try pin(pinName, child, cell: name)) }
            case "ff", "latch":
                guard storage == nil else { throw error("cell \(name) has more than one ff/latch group", line: child.line) }
                storage = try self.storage(child, cell: name)
            case "ff_bank", "latch_bank", "statetable", "bus", "bundle":
                unmodeled.append(child.name)
            default:
                // pg_pin, leakage_power, test_cell and the like carry no logic function.
                continue
            }
        }
        return LibertyCell(name: name, area: area, pins: pins, storage: storage, leakagePower: leakage,
                           dontUse: try boolean(group.simple("dont_use")), line: group.line, unmodeledGroups: unmodeled)
    }

    private func pin(_ name: String, _ group: LibertyGroup, cell: String) throws -> LibertyPin {
        guard let directionAttribute = group.simple("direction") else {
            throw error("pin \(name) of cell \(cell) has no direction", line: group.line)
        }
        guard let direction = LibertyPinDirection(rawValue: directionAttribute.value) else {
            throw error("pin \(name): direction '\(directionAttribute.value)' is not input, output, inout or internal",
                        line: directionAttribute.line)
        }
        return LibertyPin(
            name: name, direction: direction,
            function: try group.simple("function").map { try expression($0) },
            threeState: try group.simple("three_state").map { try expression($0) },
            capacitance: try group.simple("capacitance").map { try number($0) },
            isClock: try boolean(group.simple("clock")))
    }

    private func storage(_ group: LibertyGroup, cell: String) throws -> LibertyStorage {
        guard group.arguments.count == 2 else {
            throw error("\(group.name) group of cell \(cell) needs two state names, (IQ, IQN)", line: group.line)
        }
        let isFlipFlop = group.name == "ff"
        let nextName = isFlipFlop ? "next_state" : "data_in"
        let clockName = isFlipFlop ? "clocked_on" : "enable"
        func required(_ attribute: String) throws -> LibertyExpression {
            if let found = group.simple(attribute) { return try expression(found) }
            // A latch without data input or enable is a set/reset latch: never transparent.
            guard isFlipFlop else { return .constant(false) }
            throw error("ff group of cell \(cell) has no \(attribute)", line: group.line)
        }
        return LibertyStorage(
            kind: isFlipFlop ? .flipFlop : .latch, state: group.arguments[0], invertedState: group.arguments[1],
            next: try required(nextName), clock: try required(clockName),
            clear: try group.simple("clear").map { try expression($0) },
            preset: try group.simple("preset").map { try expression($0) },
            clearPresetVar1: try clearPresetValue(group.simple("clear_preset_var1")),
            clearPresetVar2: try clearPresetValue(group.simple("clear_preset_var2")))
    }

    private func clearPresetValue(_ attribute: LibertyAttribute?) throws -> Character? {
        guard let attribute else { return nil }
        let value = attribute.value.uppercased()
        guard value.count == 1, let character = value.first, "LHNTX".contains(character) else {
            throw error("\(attribute.name) '\(attribute.value)' is not L, H, N, T or X", line: attribute.line)
        }
        return character
    }
}
