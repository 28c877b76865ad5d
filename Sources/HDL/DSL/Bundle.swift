/// The fields of a bundle, in order: names and types.
public struct BundleLayout: Sendable, Hashable {
    public struct Field: Sendable, Hashable {
        public var name: String
        public var type: HWType
        public init(_ name: String, _ type: HWType) {
            self.name = name
            self.type = type
        }
    }

    public var fields: [Field]

    public init(_ fields: [Field]) { self.fields = fields }

    /// `BundleLayout(["valid": .bool, "data": .uint(8)])`, fields in the written order.
    public init(_ fields: KeyValuePairs<String, HWType>) {
        self.fields = fields.map { Field($0.key, $0.value) }
    }
}

/// A named group of signals declared together (`name_field` in the emitted Verilog): usable as
/// ports, wires and registers; `a <== b` assigns field by field.
@dynamicMemberLookup
public struct Bundle: Sendable {
    public let name: String
    public let layout: BundleLayout
    /// The field signals, in layout order.
    public let signals: [Signal]
    let location: SourceLocation

    /// The signal of field `field` (an unknown field is a diagnostic).
    public subscript(field: String) -> Signal {
        if let index = layout.fields.firstIndex(where: { $0.name == field }) { return signals[index] }
        let ctx = signals.first?.context ?? ElaborationContext.active
        ctx.report("bundle '\(name)' has no field '\(field)'", at: location)
        return ctx.invalid(nil)
    }

    /// `bundle.data` for `bundle["data"]`.
    public subscript(dynamicMember field: String) -> Signal { self[field] }

    static func declare(_ name: String, _ layout: BundleLayout, at location: SourceLocation,
                        _ declare: (String, HWType) -> Signal) -> Bundle {
        Bundle(name: name, layout: layout,
               signals: layout.fields.map { declare("\(name)_\($0.name)", $0.type) }, location: location)
    }
}

/// An input bundle: one input port per field.
public func Input(_ name: String, _ layout: BundleLayout, fileID: String = #fileID, line: Int = #line) -> Bundle {
    Bundle.declare(name, layout, at: SourceLocation(fileID: fileID, line: line)) { Input($0, $1, fileID: fileID, line: line) }
}

/// An output bundle: one output port per field.
public func Output(_ name: String, _ layout: BundleLayout, fileID: String = #fileID, line: Int = #line) -> Bundle {
    Bundle.declare(name, layout, at: SourceLocation(fileID: fileID, line: line)) { Output($0, $1, fileID: fileID, line: line) }
}

/// A bundle of wires.
public func Wire(_ name: String, _ layout: BundleLayout, fileID: String = #fileID, line: Int = #line) -> Bundle {
    Bundle.declare(name, layout, at: SourceLocation(fileID: fileID, line: line)) { Wire($0, $1, fileID: fileID, line: line) }
}

/// A bundle of registers; `reset` gives reset values by field name (fields not listed have no
/// reset), `enable` applies to every field.
public func Reg(_ name: String, _ layout: BundleLayout, reset: [String: Int] = [:], enable: Signal? = nil,
                fileID: String = #fileID, line: Int = #line) -> Bundle {
    let location = SourceLocation(fileID: fileID, line: line)
    for field in reset.keys.sorted() where !layout.fields.contains(where: { $0.name == field }) {
        ElaborationContext.active.report("bundle '\(name)' has no field '\(field)' to reset", at: location)
    }
    var index = 0
    return Bundle.declare(name, layout, at: location) { fieldName, type in
        defer { index += 1 }
        return Reg(fieldName, type, reset: reset[layout.fields[index].name], enable: enable, fileID: fileID, line: line)
    }
}

/// Field-by-field assignment between bundles of one layout.
@discardableResult
public func <== (target: Bundle, value: Bundle) -> [Assignment] {
    target.layout.fields.enumerated().map { index, field in
        if let source = value.layout.fields.firstIndex(where: { $0.name == field.name }) {
            return target.signals[index] <== value.signals[source]
        }
        let ctx = target.signals[index].context
        return target.signals[index] <== ctx.invalid("bundle '\(value.name)' has no field '\(field.name)' for '\(target.name)'",
                                                     type: field.type)
    }
}
