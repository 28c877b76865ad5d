import Cosim
import Foundation
import Golden

/// `normforge precision --search`: one `PrecisionSearch` per (format, mode, d), a table or JSON.
struct PrecisionSearchRun {
    let command: PrecisionCommand

    func run() async throws {
        let searches = try makeSearches()
        let progress = ProgressLine.standardError
        var results: [PrecisionSearch.Result] = []
        for (n, search) in searches.enumerated() {
            let label = "\(search.config.format.name) \(search.config.mode.rawValue) d=\(search.d) (\(n + 1)/\(searches.count))"
            results.append(try await search.run { done, total in progress.update(done, of: total, phase: label) })
            progress.end()
        }
        let data = try JSONOutput.data(["searches": results])
        try JSONOutput.save(data, to: command.output)
        if command.json {
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("Adversarial search: worst output error in ulps against the exact-centred FP64 LayerNorm")
        print("format  mode       arithmetic  d      evaluations  worst ulp  from class       seconds")
        for r in results {
            print([pad(r.format, 8), pad(r.mode, 11), pad(r.accumulate, 12), pad("\(r.d)", 7), pad("\(r.evaluations)", 13),
                   pad(String(format: "%.3f", r.worstUlpError), 11), pad(r.worstStartClass, 17),
                   String(format: "%.1f", r.seconds)].joined())
        }
    }

    func makeSearches() throws -> [PrecisionSearch] {
        let c = command
        let formats = try (c.formats.isEmpty ? ["fp32", "bf16", "fp16"] : c.formats).map { name in
            guard let f = FloatFormat.named(name), ["fp32", "fp16", "bf16"].contains(f.name) else {
                throw BadInput("unknown format '\(name)' (expected fp32, fp16 or bf16)")
            }
            return f
        }
        let modes = try (c.modes.isEmpty ? IterNormMode.allCases.map(\.rawValue) : c.modes).map { name in
            guard let mode = IterNormMode(rawValue: name) else { throw BadInput("unknown mode '\(name)' (expected layernorm or rmsnorm)") }
            return mode
        }
        guard let dimText = c.dims else { throw BadInput("--search needs --dims (comma-separated vector lengths)") }
        let dims = dimText.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !dims.isEmpty, dims.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw BadInput("--dims must be a comma-separated list of positive integers, got '\(dimText)'")
        }
        let wide = c.accumulate?.lowercased() == "wide"
        var accumulate: FloatFormat?
        if let name = c.accumulate, !wide {
            guard let a = FloatFormat.named(name) else { throw BadInput("unknown accumulate format '\(name)'") }
            accumulate = a
        }
        var searches: [PrecisionSearch] = []
        for f in formats {
            for mode in modes {
                for d in dims.map({ $0! }) {
                    let arithmetic = wide ? nil : accumulate ?? PrecisionEngine.defaultAccumulate(for: f)
                    switch Self.search(f, arithmetic, mode: mode, d: d, wide: wide, command: c) {
                    case .success(let search): searches.append(search)
                    case .failure(let error): throw BadInput(error.message)
                    }
                }
            }
        }
        return searches
    }

    static func search(_ f: FloatFormat, _ accumulate: FloatFormat?, mode: IterNormMode, d: Int, wide: Bool,
                       command c: PrecisionCommand) -> Result<PrecisionSearch, IterNormError> {
        Result { () throws(IterNormError) -> PrecisionSearch in
            let config = try IterNormConfig(format: f, accumulate: accumulate, lanes: c.lanes, dMax: d, mode: mode,
                                            affine: false, eps: c.eps, wide: wide)
            return try PrecisionSearch(config: config, d: d, evaluations: c.evaluations, seed: c.seed)
        }
    }

    func pad(_ s: String, _ width: Int) -> String { s.padding(toLength: max(width, s.count + 1), withPad: " ", startingAt: 0) }
}
