// A layout also describes a packed word: the fields side by side in one bus, the first field in
// the most significant bits (as `cat` orders its operands). Memories, FIFOs and wide ports hold
// records this way; `pack` and `unpack` replace hand-written slice arithmetic.
extension BundleLayout {
    /// The packed word's width: the sum of the fields' widths.
    public var width: Int { fields.reduce(0) { $0 + $1.type.width } }

    /// One word holding `values` by field name, the first field in the most significant bits.
    /// A missing or unknown field, or a value whose width differs from its field's, is a
    /// diagnostic at the caller's line.
    public func pack(_ values: [String: Signal], fileID: String = #fileID, line: Int = #line) -> Signal {
        let location = SourceLocation(fileID: fileID, line: line)
        let ctx = values.values.first?.context ?? ElaborationContext.active
        for name in values.keys.sorted() where !fields.contains(where: { $0.name == name }) {
            ctx.report("packed layout has no field '\(name)' (fields: \(fields.map(\.name).joined(separator: ", ")))", at: location)
        }
        let parts = fields.map { field -> Signal in
            guard let value = values[field.name] else {
                ctx.report("packing misses field '\(field.name)'", at: location)
                return ctx.invalid(nil, type: field.type)
            }
            guard value.width == field.type.width else {
                ctx.report("width mismatch: field '\(field.name)' is \(field.type.width) bits, got \(value.width) bits", at: location)
                return ctx.invalid(nil, type: field.type)
            }
            return value
        }
        return parts.count == 1 ? parts[0] : cat(parts)
    }

    /// The fields of a packed `word` as a read-only bundle (`layout.unpack(entry).scale`): each
    /// field is a slice of the word, signed where its type is. A word of another width than the
    /// layout's is a diagnostic at the caller's line.
    public func unpack(_ word: Signal, name: String = "packed", fileID: String = #fileID, line: Int = #line) -> Bundle {
        let location = SourceLocation(fileID: fileID, line: line)
        guard word.width == width else {
            word.context.report("width mismatch: the packed layout is \(width) bits, the word \(word.width) bits", at: location)
            return Bundle(name: name, layout: self,
                          signals: fields.map { word.context.invalid(nil, type: $0.type) }, location: location)
        }
        var top = width
        let slices = fields.map { field -> Signal in
            let low = top - field.type.width
            defer { top = low }
            let bits = word[top - 1, low]
            return field.type.isSigned ? bits.asSigned() : bits
        }
        return Bundle(name: name, layout: self, signals: slices, location: location)
    }
}
