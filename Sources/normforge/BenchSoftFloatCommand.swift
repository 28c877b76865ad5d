import ArgumentParser
import Foundation
import Golden

/// `normforge bench softfloat`: soft-float ops/s against native arithmetic.
struct BenchSoftFloatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "softfloat",
        abstract: "Soft-float throughput (ops/s) for add/mul/fma against native Float/Float16.")

    @Option(name: .customLong("format"), help: "Formats to measure (repeatable): fp32, fp16, bf16.")
    var formats: [String] = ["fp32", "fp16", "bf16"]

    @Option(help: "Operations per timed pass.")
    var operations: Int = 4_000_000

    @Option(help: "Timed passes per figure (the best is reported).")
    var repeats: Int = 5

    @Option(help: "Also write the JSON result to this file.")
    var output: String?

    @Flag(help: "Print a JSON document instead of the table.")
    var json = false

    func run() throws {
        guard operations >= 4096, repeats >= 1 else {
            throw BadInput("--operations must be >= 4096 and --repeats >= 1")
        }
        var results: [SoftFloatThroughput] = []
        for name in formats {
            guard let f = FloatFormat.named(name), ["fp32", "fp16", "bf16"].contains(f.name) else {
                throw BadInput("unknown format '\(name)' (expected fp32, fp16 or bf16)")
            }
            results += SoftFloatBenchmark.measure(format: f, operations: operations, repeats: repeats)
        }
        let data = try JSONOutput.data(["softfloat": results])
        try JSONOutput.save(data, to: output)
        if json {
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("format  op    soft Mops/s  native Mops/s  native/soft")
        for r in results {
            let native = r.nativeOpsPerSecond
            print(r.format.padding(toLength: 6, withPad: " ", startingAt: 0), " ",
                  r.operation.padding(toLength: 4, withPad: " ", startingAt: 0),
                  String(format: "%11.1f", r.softOpsPerSecond / 1e6),
                  native.map { String(format: "%14.1f", $0 / 1e6) } ?? String(repeating: " ", count: 13) + "-",
                  native.map { String(format: "%12.1f", $0 / r.softOpsPerSecond) } ?? String(repeating: " ", count: 11) + "-")
        }
    }
}
