import HDL

/// Something that can be driven onto, or expected from, a port of a given width: integers
/// (negative ones as two's complement) and `BitVector`s.
public protocol PortValueConvertible: Sendable {
    /// The value as `width` bits; `nil` when it does not fit (a `BitVector` wider than the port
    /// with bits set above it, an unsigned integer too large, or a signed one out of range).
    func bitVector(width: Int) -> BitVector?
}

extension BitVector: PortValueConvertible {
    public func bitVector(width: Int) -> BitVector? {
        if width == self.width { return self }
        let fitted = BitVector(words: words, width: width)
        // Accept narrowing only when no set bit is lost.
        return BitVector(words: fitted.words, width: self.width) == self ? fitted : nil
    }
}

extension Int: PortValueConvertible {
    public func bitVector(width: Int) -> BitVector? {
        if width < 64 {
            let limit = 1 << width
            guard self >= -(limit >> 1), self < limit else { return nil }
        }
        return BitVector(self, width: width)
    }
}

extension UInt64: PortValueConvertible {
    public func bitVector(width: Int) -> BitVector? {
        guard width >= 64 || self >> UInt64(width) == 0 else { return nil }
        return BitVector(self, width: width)
    }
}

extension UInt32: PortValueConvertible {
    public func bitVector(width: Int) -> BitVector? { UInt64(self).bitVector(width: width) }
}

extension UInt16: PortValueConvertible {
    public func bitVector(width: Int) -> BitVector? { UInt64(self).bitVector(width: width) }
}

extension UInt8: PortValueConvertible {
    public func bitVector(width: Int) -> BitVector? { UInt64(self).bitVector(width: width) }
}

extension Bool: PortValueConvertible {
    public func bitVector(width: Int) -> BitVector? { BitVector(UInt64(self ? 1 : 0), width: width) }
}

extension PortDescription {
    /// `value` as a value of this port, or `CosimError.badPortAccess` when it does not fit.
    public func value(_ value: some PortValueConvertible) throws -> BitVector {
        guard let converted = value.bitVector(width: width) else {
            throw CosimError.badPortAccess("value \(value) does not fit port \(name) (\(width) bits)")
        }
        return converted
    }
}
