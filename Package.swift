// swift-tools-version:6.0
import PackageDescription

// Layers, one direction of dependency (see docs/ARCHITECTURE.md):
//   normforge (CLI) -> CircuitCosim -> Circuits, Cosim -> HDL, Golden ;  HDL and Golden import
//   nothing of the project (Golden: plain numeric models). CircuitCosim holds the circuits'
//   co-simulation drivers, written on Cosim's Testbench so that each runs on every backend.
//   HDLExamples (HDL only) serves the tests. Silicon (-> Cosim, HDL) maps designs to a Liberty
//   standard-cell library and times, simulates and powers the netlist (Yosys, OpenSTA). Reports
//   (-> CircuitCosim, Silicon) holds the charts and the design-space exploration the CLI prints.
let package = Package(
    name: "NormForge",
    products: [
        .library(name: "HDL", targets: ["HDL"]),
        .library(name: "Golden", targets: ["Golden"]),
        .library(name: "Cosim", targets: ["Cosim"]),
        .library(name: "Circuits", targets: ["Circuits"]),
        .library(name: "CircuitCosim", targets: ["CircuitCosim"]),
        .library(name: "DSLFuzz", targets: ["DSLFuzz"]),
        .library(name: "Silicon", targets: ["Silicon"]),
        .library(name: "Reports", targets: ["Reports"]),
        // The golden models behind a C ABI, for the Python package (python/, `make python`).
        .library(name: "NormForgeGolden", type: .dynamic, targets: ["GoldenC"]),
        .executable(name: "normforge", targets: ["normforge"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/attaswift/BigInt", from: "6.0.0"),
    ],
    targets: [
        .target(name: "HDL"),
        .target(name: "HDLExamples", dependencies: ["HDL"]),
        .target(name: "Golden"),
        // @_cdecl entry points over plain buffers (Golden only; no state, never traps).
        .target(name: "GoldenC", dependencies: ["Golden"]),
        .target(name: "Cosim", dependencies: ["HDL", "Golden"]),
        .target(name: "Circuits", dependencies: ["HDL", "Golden"]),
        .target(name: "CircuitCosim", dependencies: ["Circuits", "Cosim", "Golden", "HDL"]),
        // Standard cells: Liberty libraries, Yosys mapping, OpenSTA timing and power, gate-level models.
        .target(name: "Silicon", dependencies: ["Cosim", "HDL"]),
        // Reports a library user can reach: SVG charts, design-space exploration (co-simulation,
        // standard cells, Pareto fronts).
        .target(name: "Reports", dependencies: ["Circuits", "CircuitCosim", "Cosim", "Golden", "HDL", "Silicon"]),
        // Differential fuzzing of the DSL: random legal designs on every simulator and front end.
        .target(name: "DSLFuzz", dependencies: ["HDL", "Cosim", "Golden"]),
        .executableTarget(
            name: "normforge",
            dependencies: [
                "HDL", "Golden", "Cosim", "Circuits", "CircuitCosim", "DSLFuzz", "Silicon", "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "HDLTests", dependencies: ["HDL", "HDLExamples", "Cosim"], exclude: ["ExpectedVerilog"]),
        .testTarget(
            name: "GoldenTests",
            dependencies: ["Golden", .product(name: "BigInt", package: "BigInt")]),
        .testTarget(name: "CircuitsTests", dependencies: ["Circuits", "CircuitCosim", "Cosim", "HDL", "Golden"]),
        .testTarget(name: "CircuitCosimTests", dependencies: ["CircuitCosim", "Circuits", "Cosim", "HDL", "Golden"]),
        .testTarget(name: "CosimTests", dependencies: ["Cosim", "HDL", "HDLExamples", "Golden"]),
        .testTarget(name: "SiliconTests", dependencies: ["Silicon", "Cosim", "HDL"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports"]),
        .testTarget(name: "DSLFuzzTests", dependencies: ["DSLFuzz", "Cosim", "HDL"]),
        // Runs the built `normforge` binary: exit codes, one-line errors, JSON documents.
        .testTarget(name: "CLITests", dependencies: ["normforge", "Cosim"]),
    ],
    swiftLanguageModes: [.v6]
)
