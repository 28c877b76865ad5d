import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive advisory lock on a file (`flock(2)`), held while a cache entry is built.
///
/// `flock` locks belong to the open file description, so two threads of one process that each open
/// the lock file exclude each other just as two processes do (Swift Testing runs tests in parallel).
final class FileLock {
    private let descriptor: Int32

    /// Opens (creating it if needed) and locks `path`, blocking until the lock is free.
    init(path: String) throws {
        descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CosimError.cacheUnusable("cannot open lock file \(path): \(String(cString: strerror(errno)))")
        }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let message = String(cString: strerror(errno))
                close(descriptor)
                throw CosimError.cacheUnusable("cannot lock \(path): \(message)")
            }
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
