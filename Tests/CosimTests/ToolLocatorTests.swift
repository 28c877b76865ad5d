import Testing
import Cosim

@Suite struct ToolLocatorTests {
    @Test func missingToolIsAClearError() {
        let locator = ToolLocator(searchPath: ["/nonexistent-dir"])
        #expect(throws: ToolNotFound.self) { try locator.path(of: .verilator) }
        do {
            _ = try locator.path(of: .verilator)
        } catch {
            #expect("\(error)".contains("verilator not found on PATH"))
        }
    }

    @Test func findsInstalledTools() throws {
        for tool in ExternalTool.allCases {
            #expect(try ToolLocator().path(of: tool).hasSuffix(tool.rawValue))
        }
    }
}
