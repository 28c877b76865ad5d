import Cosim
import Foundation

/// Renders a local HTML page to a PNG with Debian's headless Chromium, as a reviewer would see it.
enum HeadlessChromium {
    static func screenshot(_ page: URL, to png: URL, width: Int = 1280, height: Int = 1900) throws {
        // A private profile per run: a shared one is locked by a running browser.
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("normforge-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let run: ProcessResult
        do {
            run = try ProcessRunner.run(.chromium, [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                "--user-data-dir=\(profile.path)", "--window-size=\(width),\(height)",
                "--screenshot=\(png.path)", page.absoluteString,
            ])
        } catch let error as ToolNotFound { throw BadInput(error.description) }
        guard run.succeeded, FileManager.default.fileExists(atPath: png.path) else {
            throw CheckFailed("chromium could not render \(page.path): " + run.stderr.split(separator: "\n").suffix(3).joined(separator: " "))
        }
    }
}
