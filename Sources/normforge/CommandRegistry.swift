import ArgumentParser

/// The subcommands, one file each beside this one: top level, then the children of the
/// `generate`, `cosim` and `synth` groups (one line per circuit).
enum CommandRegistry {
    static let subcommands: [ParsableCommand.Type] = [
        FormatsCommand.self,
        BenchCommand.self,
        PrecisionCommand.self,
        GenerateCommand.self,
        CosimCommand.self,
        SynthCommand.self,
        FlowCommand.self,
        RegressCommand.self,
        ExploreCommand.self,
        VectorsCommand.self,
        ReportCommand.self,
        FuzzCommand.self,
    ]

    static let generate: [ParsableCommand.Type] = [
        GenerateBFPConvertCommand.self,
        GenerateBFPDeconvertCommand.self,
        GenerateIterNormCommand.self,
        GenerateRangeBNCommand.self,
    ]

    static let cosim: [ParsableCommand.Type] = [
        CosimBFPConvertCommand.self,
        CosimBFPDeconvertCommand.self,
        CosimIterNormCommand.self,
        CosimRangeBNCommand.self,
    ]

    static let synth: [ParsableCommand.Type] = [
        SynthBFPConvertCommand.self,
        SynthBFPDeconvertCommand.self,
        SynthIterNormCommand.self,
        SynthRangeBNCommand.self,
    ]
}
