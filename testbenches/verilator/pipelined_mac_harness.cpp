// Hand-written Verilator harness for PipelinedMac: the speed limit that `normforge bench cosim`
// compares the in-process Swift bridge against. Same stimulus generator (SplitMix64, seed 1),
// same reference model and the same per-cycle work as the Swift loop: drive a, b, c, in_valid,
// one rising clock edge, compare y with the value expected from the previous cycle.
//
// Built by the benchmark as one translation unit with the generated model, linked against the
// cached Verilator runtime archive (compiled with -DVL_USER_FATAL/STOP/FINISH and the
// VL_PRINTF hooks, which this file therefore defines). Usage: harness CYCLES [direct]
// Prints one JSON object: {"cycles": N, "seconds": S, "mismatches": M}, S in thread CPU seconds.
//
// By default each half cycle calls the public `eval()`. With `direct` it calls the model's
// scheduler `VPipelinedMac___024root___eval` as the in-process bridge's shim does, skipping the
// thread-local bookkeeping `eval()` wraps around it: the like-for-like limit.
#include "VPipelinedMac.h"
#include "VPipelinedMac___024root.h"
#include "verilated.h"

#include <cstring>

#include <ctime>

void VPipelinedMac___024root___eval(VPipelinedMac___024root* vlSelf);
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

int nf_vprintf(const char* format, va_list args) { return std::vprintf(format, args); }
int nf_printf(const char* format, ...) {
    va_list args;
    va_start(args, format);
    const int length = std::vprintf(format, args);
    va_end(args);
    return length;
}
void vl_fatal(const char* file, int line, const char*, const char* msg) {
    std::fprintf(stderr, "%s:%d: %s\n", file, line, msg);
    std::exit(2);
}
void vl_stop(const char* file, int line, const char* hier) { vl_fatal(file, line, hier, "$stop"); }
void vl_finish(const char*, int, const char*) { Verilated::threadContextp()->gotFinish(true); }

namespace {
struct SplitMix64 {
    uint64_t state;
    uint64_t next() {
        state += 0x9E3779B97F4A7C15ull;
        uint64_t z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
};
// Thread CPU time: the machine is shared, and time spent descheduled is not the model's cost.
double cpu_seconds() {
    timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}
}  // namespace

int main(int argc, char** argv) {
    const uint64_t cycles = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
    const bool direct = argc > 2 && std::strcmp(argv[2], "direct") == 0;
    VerilatedContext context;
    VPipelinedMac top(&context, "TOP");

    top.rst = 1;
    for (int i = 0; i < 2; ++i) {
        top.clk = 0; top.eval();
        top.clk = 1; top.eval();
    }
    top.rst = 0;
    top.in_valid = 1;

    SplitMix64 random{1};
    uint64_t expected = 0, mismatches = 0;
    const double start = cpu_seconds();
    if (direct) {
        for (uint64_t i = 0; i < cycles; ++i) {
            const uint64_t x = random.next(), c = random.next();
            top.a = static_cast<uint32_t>(x);
            top.b = static_cast<uint32_t>(x >> 32);
            top.c = c;
            top.clk = 0; VPipelinedMac___024root___eval(top.rootp);
            top.clk = 1; VPipelinedMac___024root___eval(top.rootp);
            if (top.y != expected) ++mismatches;
            expected = (x & 0xFFFFFFFFull) * (x >> 32) + c;
        }
    } else {
        for (uint64_t i = 0; i < cycles; ++i) {
            const uint64_t x = random.next(), c = random.next();
            top.a = static_cast<uint32_t>(x);
            top.b = static_cast<uint32_t>(x >> 32);
            top.c = c;
            top.clk = 0; top.eval();
            top.clk = 1; top.eval();
            if (top.y != expected) ++mismatches;
            expected = (x & 0xFFFFFFFFull) * (x >> 32) + c;
        }
    }
    const double seconds = cpu_seconds() - start;
    top.final();
    std::printf("{\"cycles\": %llu, \"seconds\": %.6f, \"mismatches\": %llu}\n",
                static_cast<unsigned long long>(cycles), seconds, static_cast<unsigned long long>(mismatches));
    return mismatches == 0 ? 0 : 1;
}
