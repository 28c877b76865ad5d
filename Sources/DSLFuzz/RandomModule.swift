import Golden
import HDL

/// A random, legal-by-construction DSL module, reproducible from `(seed, index)`: random widths
/// (1...130 bits, both signednesses) through every operator of the width-rules table, wires
/// driven through `When`/`ElseWhen`/`Otherwise` and `Switch`/`Default`, registers with and
/// without reset and enable, `RegNext`, a memory (read-before-write), state machines, bundles
/// (ports, wires, registers, whole-bundle assignment), vectors and lane buses, coverage points,
/// and instances of a random submodule. `constructs` counts what it used, for the coverage table of docs/fuzzing.md.
///
/// Registers without reset and memories start undefined in Verilog (Icarus: `x`). So that no
/// `x` is ever captured for good, every module counts `Builder.readyCycles` cycles after reset
/// (`ready`) before any register with reset loads or the memory takes a random write; registers
/// without reset are assigned every cycle. Outputs are defined after `warmUpCycles`.
public struct RandomModule: Sendable {
    public let module: Module
    public let constructs: [String: Int]
    /// Cycles after reset before every output is defined on every simulator.
    public let warmUpCycles: Int

    /// The module `index` of the stream of `seed`, named `fuzz_s<seed>_<index>` unless `name`
    /// says otherwise; `depth` > 0 also generates submodules.
    public init(seed: UInt64, index: Int, name: String? = nil, depth: Int = 1) {
        let name = name ?? "fuzz_s\(seed)_\(index)"
        var rng = SeededRandom(seed: seed, stream: UInt64(index) &* 0x9E37_79B9 &+ 17)
        var counts: [String: Int] = [:]
        var warmUp = 2
        var submodule: RandomModule?
        if depth > 0 && Int.random(in: 0..<3, using: &rng) == 0 {
            let sub = RandomModule(seed: seed ^ 0x5355_424D, index: index, name: name + "_sub", depth: depth - 1)
            submodule = sub
        }
        module = Module(name) {
            var b = Builder(rng: rng)
            b.body(submodule: submodule)
            counts = b.counts
            warmUp = b.warmUp
        }
        if let submodule {
            counts.merge(submodule.constructs, uniquingKeysWith: +)
            warmUp += submodule.warmUpCycles
        }
        constructs = counts
        warmUpCycles = warmUp
    }
}

/// Builds one module body from a random stream: a pool of typed signals grows operator by
/// operator; statements and declarations draw their operands from it.
struct Builder {
    var rng: SeededRandom
    var pool: [Signal] = []
    var counts: [String: Int] = [:]
    var warmUp = Builder.readyCycles + 2
    var names = 0
    /// High once the module has run `readyCycles` cycles after reset.
    var ready: Signal?
    static let maxWidth = 130
    static let readyCycles = 64

    init(rng: SeededRandom) { self.rng = rng }

    mutating func count(_ construct: String) { counts[construct, default: 0] += 1 }

    mutating func fresh(_ base: String) -> String {
        names += 1
        return "\(base)\(names)"
    }

    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &rng) < percent }

    /// Mostly narrow, sometimes around 32/64 bits, rarely up to 130.
    mutating func width() -> Int {
        switch Int.random(in: 0..<10, using: &rng) {
        case 0..<5: return Int.random(in: 1...8, using: &rng)
        case 5..<8: return Int.random(in: 9...40, using: &rng)
        case 8: return Int.random(in: 41...70, using: &rng)
        default: return Int.random(in: 71...Self.maxWidth, using: &rng)
        }
    }

    mutating func type() -> HWType {
        let w = width()
        return chance(35) && w > 1 ? .sint(w) : .uint(w)
    }

    mutating func pick() -> Signal {
        // Favour recent values so that expressions chain into deep trees.
        let n = pool.count
        if n > 4 && chance(60) { return pool[Int.random(in: (n - 4)..<n, using: &rng)] }
        return pool[Int.random(in: 0..<n, using: &rng)]
    }

    mutating func constant(_ t: HWType) -> Signal {
        count("constant")
        let words = (0..<((t.width + 63) / 64)).map { _ in UInt64.random(in: 0...UInt64.max, using: &rng) }
        return Const(BitVector(words: words, width: t.width), signed: t.isSigned)
    }

    /// `s` as type `t`: reinterpret, then extend or truncate (the explicit conversions).
    mutating func coerce(_ s: Signal, to t: HWType) -> Signal {
        var v = s
        if v.type.isSigned != t.isSigned {
            v = t.isSigned ? v.asSigned() : v.asUnsigned()
            count(t.isSigned ? "asSigned" : "asUnsigned")
        }
        if v.type.width < t.width {
            v = t.isSigned ? v.sext(to: t.width) : v.zext(to: t.width)
            count(t.isSigned ? "sext" : "zext")
        } else if v.type.width > t.width {
            v = v.truncate(to: t.width)
            if v.type.isSigned != t.isSigned { v = t.isSigned ? v.asSigned() : v.asUnsigned() }
            count("truncate")
        }
        return v
    }

    mutating func bit(_ s: Signal) -> Signal {
        if s.type.width == 1 && !s.type.isSigned { return s }
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: count("orReduce"); return s.orReduce()
        case 1: count("andReduce"); return s.andReduce()
        case 2: count("xorReduce"); return s.xorReduce()
        default: count("bit select"); return s[Int.random(in: 0..<s.type.width, using: &rng)]
        }
    }

    /// One new value from one operator of the width-rules table.
    mutating func expression() -> Signal {
        let a = pick()
        let wa = a.type.width
        switch Int.random(in: 0..<28, using: &rng) {
        case 0, 1:
            let b = coerce(pick(), to: HWType(width: min(width(), Self.maxWidth - 1), isSigned: a.type.isSigned))
            let narrowA = wa >= Self.maxWidth ? coerce(a, to: HWType(width: Self.maxWidth - 1, isSigned: a.type.isSigned)) : a
            let subtract = chance(50)
            count(subtract ? "-" : "+")
            return subtract ? narrowA - b : narrowA + b
        case 2:
            let x = coerce(a, to: HWType(width: min(wa, 64), isSigned: a.type.isSigned))
            let y = coerce(pick(), to: HWType(width: min(width(), Self.maxWidth - x.type.width, 64), isSigned: a.type.isSigned))
            count("*")
            return x * y
        case 3, 4:
            let b = coerce(pick(), to: a.type)
            let op = Int.random(in: 0..<3, using: &rng)
            count(["&+", "&-", "&*"][op])
            return op == 0 ? a &+ b : op == 1 ? a &- b : a &* b
        case 5, 6:
            let b = coerce(pick(), to: a.type)
            let op = Int.random(in: 0..<3, using: &rng)
            count(["&", "|", "^"][op])
            return op == 0 ? a & b : op == 1 ? a | b : a ^ b
        case 7: count("~"); return ~a
        case 8:
            let x = bit(a), y = bit(pick())
            let op = Int.random(in: 0..<3, using: &rng)
            count(["&&", "||", "!"][op])
            return op == 0 ? x && y : op == 1 ? x || y : !x
        case 9, 10:
            let b = coerce(pick(), to: a.type)
            let op = Int.random(in: 0..<6, using: &rng)
            count(["==", "!=", "<", "<=", ">", ">="][op])
            switch op {
            case 0: return a == b
            case 1: return a != b
            case 2: return a < b
            case 3: return a <= b
            case 4: return a > b
            default: return a >= b
            }
        case 11:
            guard wa < Self.maxWidth else { return a }
            count("<< static")
            return a << Int.random(in: 0...min(6, Self.maxWidth - wa), using: &rng)
        case 12:
            count("&<< static")
            return a &<< Int.random(in: 0...(wa + 1), using: &rng)
        case 13:
            count(">> static")
            return a >> Int.random(in: 0...(wa + 1), using: &rng)
        case 14:
            let amount = coerce(pick(), to: .uint(Int.random(in: 1...8, using: &rng)))
            count("&<< dynamic")
            return a &<< amount
        case 15:
            let amount = coerce(pick(), to: .uint(Int.random(in: 1...8, using: &rng)))
            count(">> dynamic")
            return a >> amount
        case 16:
            let lo = Int.random(in: 0..<wa, using: &rng), hi = Int.random(in: lo..<wa, using: &rng)
            count("slice")
            return a[hi, lo]
        case 17:
            var parts = [a]
            var total = wa
            while parts.count < 3 && chance(60) {
                let next = pick()
                guard total + next.type.width <= Self.maxWidth else { break }
                parts.append(next)
                total += next.type.width
            }
            count("cat")
            return cat(parts)
        case 18:
            let c = bit(pick())
            count("mux")
            return mux(c, a, coerce(pick(), to: a.type))
        case 19:
            guard wa < Self.maxWidth else { return a }
            let w = Int.random(in: wa...min(Self.maxWidth, wa + 40), using: &rng)
            count(a.type.isSigned ? "sext" : "zext")
            return a.type.isSigned ? a.sext(to: w) : a.zext(to: w)
        case 20:
            guard wa > 1 else { return a }
            count("truncate")
            return a.truncate(to: Int.random(in: 1..<wa, using: &rng))
        case 21: count(a.type.isSigned ? "asUnsigned" : "asSigned"); return a.type.isSigned ? a.asUnsigned() : a.asSigned()
        case 22: return bit(a)
        case 23: count("leadingZeros"); return leadingZeros(a, name: fresh("lz"))
        case 24: return constant(type())
        case 25, 26:
            // An integer literal next to a signal takes its type.
            let limit = 1 << min(a.type.isSigned ? wa - 1 : wa, 15)
            let k = a.type.isSigned ? Int.random(in: -limit..<limit, using: &rng) : Int.random(in: 0..<limit, using: &rng)
            let op = Int.random(in: 0..<5, using: &rng)
            count(["&+ literal", "&- literal", "^ literal", "== literal", "< literal"][op])
            switch op {
            case 0: return a &+ k
            case 1: return a &- k
            case 2: return a ^ k
            case 3: return a == k
            default: return a < k
            }
        default:
            count("named")
            return a.named(fresh("n"))
        }
    }

    /// A wire driven by a default and a `When`/`ElseWhen`/`Otherwise` chain.
    mutating func whenWire() -> Signal {
        let t = type()
        let w = Wire(fresh("w"), t)
        let values = (0..<4).map { _ in expressionOrPick() }
        let conditions = (0..<2).map { _ in bit(pick()) }
        let v = values.map { coerce($0, to: t) }
        if chance(25) {
            w <== (t.isSigned ? -1 : 1)
            count("<== literal")
        } else {
            w <== v[0]
        }
        count("When")
        let chain = When(conditions[0]) { w <== v[1] }
        if chance(60) {
            count("ElseWhen")
            let tail = chain.ElseWhen(conditions[1]) { w <== v[2] }
            if chance(50) { count("Otherwise"); tail.Otherwise { w <== v[3] } }
        } else if chance(50) {
            count("Otherwise")
            chain.Otherwise { w <== v[3] }
        }
        return w
    }

    /// A wire selected by a `Switch` on a narrow subject, with a `Default`.
    mutating func switchWire() -> Signal {
        let t = type()
        let w = Wire(fresh("s"), t)
        let subject = coerce(pick(), to: .uint(Int.random(in: 1...3, using: &rng)))
        let values = (0..<4).map { _ in coerce(expressionOrPick(), to: t) }
        let hasDefault = chance(70)
        if !hasDefault { w <== values[3] }
        let limit = 1 << subject.type.width
        let first = Int.random(in: 0..<limit, using: &rng), second = Int.random(in: 0..<limit, using: &rng)
        let third = Int.random(in: 0..<limit, using: &rng)
        let twoLabels = third != first && third != second && chance(40)
        count("Switch")
        if twoLabels { count("Case with two labels") }
        Switch(subject) {
            if twoLabels { Case(first, third) { w <== values[0] } } else { Case(first) { w <== values[0] } }
            if second != first { Case(second) { w <== values[1] } }
            if hasDefault { Default { w <== values[2] } }
        }
        if hasDefault { count("Default") }
        return w
    }

    /// A register: with reset (any assignment pattern, optional enable) or without (assigned
    /// every cycle, so it is defined one cycle after its inputs are).
    mutating func register() -> Signal {
        let t = type()
        let next = coerce(expressionOrPick(), to: t)
        if chance(50) {
            let resetValue = t.isSigned ? Int.random(in: -(1 << min(t.width - 1, 20))..<(1 << min(t.width - 1, 20)), using: &rng)
                : Int.random(in: 0..<(1 << min(t.width, 20)), using: &rng)
            let enable = chance(40) ? bit(pick()) : nil
            let wide = t.width > 20 && chance(50)
            let r = wide ? Reg(fresh("r"), t, resetBits: BitVector(words: (0..<((t.width + 63) / 64)).map { _ in UInt64.random(in: 0...UInt64.max, using: &rng) }, width: t.width), enable: enable)
                : Reg(fresh("r"), t, reset: resetValue, enable: enable)
            if wide { count("Reg resetBits") }
            count(enable == nil ? "Reg reset" : "Reg reset enable")
            let ready = ready!
            if chance(50) {
                let condition = bit(pick())
                When(ready && condition) { r <== next }
            } else {
                When(ready) { r <== next }
            }
            return r
        }
        if chance(25) {
            count("RegNext reset enable")
            return RegNext(fresh("pe"), next, reset: t.isSigned ? -1 : 1, enable: ready! && bit(pick()))
        }
        warmUp += 1
        if chance(50) {
            count("RegNext")
            return RegNext(fresh("p"), next)
        }
        count("Reg")
        let r = Reg(fresh("q"), t)
        r <== next
        return r
    }

    /// A memory cleared by a fill counter after reset, then written at random addresses when a
    /// random condition holds; read every cycle (read-before-write on the same address).
    mutating func memory() -> Signal {
        let t = type(), depth = Int.random(in: 2...16, using: &rng)
        let mem = Memory(fresh("m"), depth: depth, t)
        let aw = mem.addressWidth
        let fill = Reg(fresh("fill"), .uint(aw + 1), reset: 0)
        let writeAddress = coerce(pick(), to: .uint(aw)), readAddress = coerce(pick(), to: .uint(aw))
        let data = coerce(expressionOrPick(), to: t), enable = bit(pick())
        // Addresses beyond depth (when depth is not a power of two) are never written or read.
        let inRange = { (a: Signal) in a.zext(to: aw + 1) < Const(depth, .uint(aw + 1)) }
        let ready = ready!
        When(fill != depth) {
            fill <== fill &+ 1
            mem.write(fill.truncate(to: aw), Const(BitVector(width: t.width), signed: t.isSigned))
        }.ElseWhen(ready && enable && inRange(writeAddress)) {
            // Clamped, as the read address is, so that a constant address is never beyond depth.
            mem.write(mux(inRange(writeAddress), writeAddress, Const(0, .uint(aw))), data)
        }
        count("Memory")
        let address = mux(inRange(readAddress), readAddress, Const(0, .uint(aw)))
        return mem.read(address)
    }

    /// A state machine of 2-5 states, each moving to a random state when a random condition
    /// holds after `ready`; its state and one `inState` join the pool.
    mutating func fsm() {
        let names = (0..<Int.random(in: 2...5, using: &rng)).map { "st\($0)" }
        let machine = FSM(fresh("fsm"), states: names, initial: names.randomElement(using: &rng))
        let ready = ready!
        let conditions = names.map { _ in bit(pick()) }
        let targets = names.map { _ in names.randomElement(using: &rng)! }
        let pairs = chance(40) && names.count >= 3
        Switch(machine.state) {
            if pairs {
                machine.Case(names[0], names[1]) { When(ready && conditions[0]) { machine.goto(targets[0]) } }
                for (k, name) in names.enumerated().dropFirst(2) { machine.Case(name) { When(ready && conditions[k]) { machine.goto(targets[k]) } } }
            } else {
                for (k, name) in names.enumerated() { machine.Case(name) { When(ready && conditions[k]) { machine.goto(targets[k]) } } }
            }
            Default { machine.goto(names[0]) }
        }
        count("FSM")
        count("FSM goto")
        pool.append(machine.state)
        pool.append(machine.inState(names.randomElement(using: &rng)!))
        count("FSM inState")
    }

    /// A bundle of 2-3 fields: a wire bundle driven field by field, registered as a bundle (with
    /// reset and loaded after `ready`, or without reset and loaded every cycle); its fields join
    /// the pool.
    mutating func bundle() {
        let layout = BundleLayout((0..<Int.random(in: 2...3, using: &rng)).map { BundleLayout.Field("f\($0)", type()) })
        let w = Wire(fresh("b"), layout)
        for field in layout.fields { w[field.name] <== coerce(expressionOrPick(), to: field.type) }
        count("Bundle Wire")
        if chance(50) {
            let reset = Dictionary(uniqueKeysWithValues: layout.fields.map { ($0.name, $0.type.width == 1 || !$0.type.isSigned ? 1 : -1) })
            let r = Reg(fresh("rb"), layout, reset: reset)
            When(ready!) { r <== w }
            count("Bundle Reg reset")
            pool += r.signals
        } else {
            let r = Reg(fresh("qb"), layout)
            r <== w
            warmUp += 1
            count("Bundle Reg")
            pool += r.signals
        }
        count("Bundle <==")
        pool.append(w[layout.fields.randomElement(using: &rng)!.name])
        count("Bundle field")
        if chance(40) {
            let word = layout.pack(Dictionary(uniqueKeysWithValues: layout.fields.map { ($0.name, w[$0.name]) }))
            pool.append(word)
            pool += layout.unpack(word, name: fresh("up")).signals
            count("Bundle pack/unpack")
        }
    }

    /// A vector of 2-4 wires of one type, each driven from the pool, packed into a lane bus; the
    /// bus and one lane of it join the pool.
    mutating func vector() {
        let t = HWType(width: Int.random(in: 1...24, using: &rng), isSigned: false)
        let lanes = Int.random(in: 2...4, using: &rng)
        let xs = Vector(fresh("v"), count: lanes) { Wire($0, t) }
        for x in xs { x <== coerce(expressionOrPick(), to: t) }
        let bus = packLanes(xs)
        pool.append(bus)
        pool.append(bus.lane(Int.random(in: 0..<lanes, using: &rng), width: t.width))
        count("Vector")
        count("packLanes")
        count("lane")
    }

    /// A functional coverage point on a random condition (its wire, and the `cover` under
    /// `ifdef NORMFORGE_COVER`).
    mutating func cover() {
        Cover(fresh("cov"), bit(pick()))
        count("Cover")
    }

    /// An instance of `sub` with every input driven from the pool; its outputs join the pool.
    mutating func instance(_ sub: Module) {
        let u = Instance(sub, fresh("u"))
        for port in sub.ports {
            let decl = sub[signal: port]
            guard decl.kind == .input, decl.name != "clk", decl.name != "rst" else { continue }
            u[decl.name] <== coerce(pick(), to: decl.type)
        }
        for port in sub.ports where sub[signal: port].kind == .output {
            pool.append(u[sub[signal: port].name])
        }
        count("Instance")
    }

    mutating func expressionOrPick() -> Signal {
        if chance(60) {
            let e = expression()
            pool.append(e)
            return e
        }
        return pick()
    }

    mutating func body(submodule: RandomModule?) {
        let counter = Reg("ready_count", .uint(7), reset: 0)
        When(counter != Self.readyCycles) { counter <== counter &+ 1 }
        ready = (counter == Self.readyCycles).named("ready")
        for k in 0..<Int.random(in: 1...4, using: &rng) {
            pool.append(Input("in\(k)", type()))
        }
        count("Input")
        if chance(15) {
            pool += Vector("vin", count: Int.random(in: 2...3, using: &rng)) { Input($0, .uint(Int.random(in: 1...16, using: &rng))) }
            count("Vector Input")
        }
        if chance(15) {
            let layout = BundleLayout(["valid": .bool, "data": type()])
            pool += Input("bin", layout).signals
            count("Bundle Input")
        }
        if let submodule { instance(submodule.module) }
        for _ in 0..<Int.random(in: 6...24, using: &rng) {
            switch Int.random(in: 0..<20, using: &rng) {
            case 0, 1: pool.append(whenWire())
            case 2: pool.append(switchWire())
            case 3, 4: pool.append(register())
            case 5 where chance(40): pool.append(memory())
            case 6 where chance(30): fsm()
            case 7 where chance(30): bundle()
            case 8 where chance(30): vector()
            case 9 where chance(20): cover()
            default: pool.append(expression())
            }
        }
        let outputs = Int.random(in: 1...4, using: &rng)
        for k in 0..<outputs {
            let value = pool[pool.count - 1 - min(k * 2, pool.count - 1)]
            let y = Output("out\(k)", value.type)
            y <== value
        }
        count("Output")
        if chance(15) {
            let layout = BundleLayout(["a": pick().type, "b": pick().type])
            let w = Wire("bw", layout)
            for field in layout.fields { w[field.name] <== coerce(pick(), to: field.type) }
            Output("bout", layout) <== w
            count("Bundle Output")
        }
    }
}
