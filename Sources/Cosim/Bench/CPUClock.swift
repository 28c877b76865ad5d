#if canImport(Glibc)
import Glibc
#endif

/// CPU-time clocks for benchmarks on a shared machine.
public enum CPUClock {
    /// CPU seconds consumed by the calling thread.
    public static func threadSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + 1e-9 * Double(time.tv_nsec)
    }

    /// User plus system CPU seconds of this process, every thread.
    public static func processSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + 1e-6 * Double(usage.ru_utime.tv_usec)
            + Double(usage.ru_stime.tv_sec) + 1e-6 * Double(usage.ru_stime.tv_usec)
    }

    /// User plus system CPU seconds of all terminated, waited-for child processes.
    public static func childrenSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + 1e-6 * Double(t.tv_usec) }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
