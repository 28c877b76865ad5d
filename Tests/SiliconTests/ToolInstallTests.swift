import Cosim
import Foundation
import Silicon
import Testing

/// `make setup` installs what the standard-cell flow drives.
struct ToolInstallTests {
    @Test func defaultLibraryAndOpenSTAAreInstalled() throws {
        #expect(FileManager.default.isReadableFile(atPath: StandardCellLibrary.defaultLiberty.path))
        let sta = try ToolLocator().path(of: .sta)
        // OpenSTA 2.0.17 prints its version and exits with -version.
        let result = try ProcessRunner.run(executable: sta, ["-version"], in: FileManager.default.temporaryDirectory)
        #expect(result.succeeded)
        #expect(result.stdout.contains("2.0"))
    }
}
