import Testing
import HDL

@Suite struct SourceLocationTests {
    @Test func capturesCallerFileAndLine() {
        let loc = SourceLocation()
        #expect(loc.fileName == "SourceLocationTests.swift")
        #expect(loc.line == #line - 2)
        #expect(loc.description == "SourceLocationTests.swift:\(loc.line)")
    }
}
