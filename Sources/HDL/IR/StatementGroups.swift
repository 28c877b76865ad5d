extension Module {
    /// The top-level statements (indices into `statements`) grouped so that two statements
    /// assigning a common signal that passes `include` are in the same group, directly or
    /// through others. A default and the `when` that overrides it therefore land together:
    /// the SystemVerilog printer gives each group its `always_comb` block and the IR simulator
    /// runs each as one unit. Statements assigning no such signal are in no group. Groups are
    /// ordered by their first statement and list their statements in program order.
    public func statementGroups(sharingTargetsWhere include: (SignalID) -> Bool) -> [[Int]] {
        connectedGroups(statements.map { [$0].assignedSignals.filter(include).map(\.index) })
    }
}

/// The items (indices into `keys`) that share a key, directly or through other items, as
/// groups (union-find); items without keys are in no group. Groups are ordered by their first
/// item and list their items in ascending order.
func connectedGroups(_ keys: [[Int]]) -> [[Int]] {
    var parent = Array(keys.indices)
    func find(_ x: Int) -> Int {
        var x = x
        while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
        return x
    }
    var owner: [Int: Int] = [:]
    for (item, itemKeys) in keys.enumerated() {
        for key in itemKeys {
            if let other = owner[key] { parent[find(item)] = find(other) } else { owner[key] = item }
        }
    }
    var groupOf: [Int: Int] = [:]
    var groups: [[Int]] = []
    for item in keys.indices where !keys[item].isEmpty {
        let root = find(item)
        if let group = groupOf[root] {
            groups[group].append(item)
        } else {
            groupOf[root] = groups.count
            groups.append([item])
        }
    }
    return groups
}
