import HDL
import Testing

/// The IR's statement walk and the grouping of top-level statements by shared targets, on
/// hand-built statement trees (expression ids stand for values; nothing here evaluates them).
@Suite struct StatementWalkTests {
    private static let here = SourceLocation(fileID: "HDLTests/StatementWalkTests.swift", line: 1)

    private static func assign(_ target: Int, _ value: Int) -> Statement {
        Statement(.assign(target: SignalID(target), value: ExprID(value)), location: here)
    }

    private static func when(_ condition: Int, _ then: [Statement], else otherwise: [Statement] = []) -> Statement {
        Statement(.when(condition: ExprID(condition), then: then, otherwise: otherwise), location: here)
    }

    private static func switchOn(_ subject: Int, _ cases: [[Statement]], default otherwise: [Statement]?) -> Statement {
        let labelled = cases.enumerated().map { SwitchCase(values: [BitVector($0.offset, width: 2)], body: $0.element, location: here) }
        return Statement(.switchOn(subject: ExprID(subject), cases: labelled, otherwise: otherwise), location: here)
    }

    private static func write(memory: Int, address: Int, data: Int) -> Statement {
        Statement(.memoryWrite(MemoryID(memory), address: ExprID(address), data: ExprID(data)), location: here)
    }

    /// A module whose only content that matters is `statements` over `signals` wires.
    private static func module(signals: Int, _ statements: [Statement]) -> Module {
        Module(name: "Walk", location: here,
               signals: (0..<signals).map { SignalDecl(name: "s\($0)", type: .uint(1), kind: .wire, location: here) },
               ports: [], clock: nil, reset: nil, nodes: [], statements: statements,
               memories: [], instances: [], submodules: [], diagnostics: [])
    }

    private static let tree: [Statement] = [
        assign(0, 10),
        when(11, [assign(1, 12), switchOn(13, [[assign(2, 14)], []], default: [assign(1, 15)])],
             else: [write(memory: 0, address: 16, data: 17)]),
        assign(3, 18),
    ]

    @Test func walksEveryStatementBeforeItsNestedOnesInProgramOrder() {
        #expect(Self.tree.allStatements.map(\.expressions) == [[10], [11], [12], [13], [14], [15], [16, 17], [18]].map { $0.map(ExprID.init) })
        #expect(Self.tree.allExpressions.map(\.index) == [10, 11, 12, 13, 14, 15, 16, 17, 18])
        #expect(Self.tree.assignedSignals.map(\.index) == [0, 1, 2, 1, 3])
        #expect(Self.tree.allStatements.compactMap(\.accessedMemory) == [MemoryID(0)])
    }

    @Test func filteringKeepsTheControlAroundKeptLeavesAndEveryCase() {
        let kept = Self.tree.filtered { $0.assignedSignal == SignalID(2) }
        // The `when` keeps an empty `otherwise`, the switch its empty second case and its
        // emptied default, so the same branch is selected as before.
        #expect(kept == [Self.when(11, [Self.switchOn(13, [[Self.assign(2, 14)], []], default: [])])])
        #expect(Self.tree.filtered { $0.accessedMemory != nil } == [Self.when(11, [], else: [Self.write(memory: 0, address: 16, data: 17)])])
        #expect(Self.tree.filtered { _ in false }.isEmpty)
        #expect(Self.tree.filtered { _ in true } == Self.tree)
    }

    @Test func replacingNestedBlocksKeepsAMissingDefaultMissing() {
        let statement = Self.switchOn(5, [[Self.assign(0, 1)], [Self.assign(0, 2)]], default: nil)
        #expect(statement.nestedBlocks.count == 2)
        #expect(statement.replacingNestedBlocks([[], [Self.assign(0, 3)]])
            == Self.switchOn(5, [[], [Self.assign(0, 3)]], default: nil))
    }

    @Test func statementsSharingATargetAreGroupedThroughEachOther() {
        // 0 and 2 share s0, 2 and 4 share s2: one group, in program order, although 0 and 4
        // share nothing. 1 and 3 share s1. 5 assigns only s3, which is left out.
        let module = Self.module(signals: 4, [
            Self.assign(0, 0),
            Self.assign(1, 0),
            Self.when(0, [Self.assign(0, 1)], else: [Self.assign(2, 1)]),
            Self.switchOn(0, [[Self.assign(1, 2)]], default: nil),
            Self.assign(2, 2),
            Self.assign(3, 3),
        ])
        #expect(module.statementGroups(sharingTargetsWhere: { $0 != SignalID(3) }) == [[0, 2, 4], [1, 3]])
        #expect(module.statementGroups(sharingTargetsWhere: { _ in true }) == [[0, 2, 4], [1, 3], [5]])
        #expect(module.statementGroups(sharingTargetsWhere: { _ in false }) == [])
    }

    @Test func groupsAreOrderedByTheirFirstStatement() {
        // The group of s1 is closed by the last statement, but starts first.
        let module = Self.module(signals: 3, [
            Self.assign(1, 0),
            Self.assign(0, 0),
            Self.when(0, [Self.assign(2, 1)]),
            Self.when(0, [Self.assign(1, 1), Self.assign(2, 2)]),
        ])
        #expect(module.statementGroups(sharingTargetsWhere: { _ in true }) == [[0, 2, 3], [1]])
    }
}
