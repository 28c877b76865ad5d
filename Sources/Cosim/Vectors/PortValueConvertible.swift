import HDL

/// Something that can be driven onto, or expected from, a port of a given width: integers
/// (negative ones as two's complement) and `SimValue`s.
public protocol PortValueConvertible: Sendable {
    /// The value as `width` bits; `nil` when it does not fit (a `SimValue` wider than the port
    /// with bits set above it, an unsigned integer too large, or a signed one out of range).
    func simValue(width: Int) -> SimValue?
}

extension SimValue: PortValueConvertible {
    public func simValue(width: Int) -> SimValue? {
        if width == self.width { return self }
        let fitted = SimValue(width: width, words: words)
        // Accept narrowing only when no set bit is lost.
        return SimValue(width: self.width, words: fitted.words) == self ? fitted : nil
    }
}

extension Int: PortValueConvertible {
    public func simValue(width: Int) -> SimValue? {
        if width < 64 {
            let limit = 1 << width
            guard self >= -(limit >> 1), self < limit else { return nil }
        }
        return SimValue(width: width, self)
    }
}

extension UInt64: PortValueConvertible {
    public func simValue(width: Int) -> SimValue? {
        guard width >= 64 || self >> UInt64(width) == 0 else { return nil }
        return SimValue(width: width, self)
    }
}

extension UInt32: PortValueConvertible {
    public func simValue(width: Int) -> SimValue? { UInt64(self).simValue(width: width) }
}

extension UInt16: PortValueConvertible {
    public func simValue(width: Int) -> SimValue? { UInt64(self).simValue(width: width) }
}

extension UInt8: PortValueConvertible {
    public func simValue(width: Int) -> SimValue? { UInt64(self).simValue(width: width) }
}

extension Bool: PortValueConvertible {
    public func simValue(width: Int) -> SimValue? { SimValue(width: width, UInt64(self ? 1 : 0)) }
}

extension PortDescription {
    /// `value` as a value of this port, or `CosimError.badPortAccess` when it does not fit.
    public func value(_ value: some PortValueConvertible) throws -> SimValue {
        guard let converted = value.simValue(width: width) else {
            throw CosimError.badPortAccess("value \(value) does not fit port \(name) (\(width) bits)")
        }
        return converted
    }
}
