// swift-tools-version: 6.0
import PackageDescription

// The pipeline, one module per stage:
// CLibYAML → StackupYAML → StackupCore → StackupReporters → stackup (CLI); StackupCore also
// reads compressed event logs through the system zlib (CZlib).
let package = Package(
    name: "Stackup",
    products: [
        .executable(name: "stackup", targets: ["stackup"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // The system zlib, for `.xes.gz` and gzipped CSV logs.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "StackupYAML", dependencies: ["CLibYAML"]),
        .target(name: "StackupCore", dependencies: ["StackupYAML", "CZlib"]),
        .target(name: "StackupReporters", dependencies: ["StackupCore"]),
        .executableTarget(
            name: "stackup",
            dependencies: [
                "StackupCore",
                "StackupReporters",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Measures analyses in process; run by Scripts/bench-*.sh in a release build.
        .executableTarget(name: "stackup-bench", dependencies: ["StackupCore", "StackupYAML"], path: "Benchmarks/stackup-bench"),
        // libFuzzer entry points; linked into a fuzzer by Scripts/fuzz, not by SwiftPM.
        .target(name: "StackupFuzz", dependencies: ["StackupCore", "StackupReporters"], path: "Fuzz/StackupFuzz"),
        .testTarget(name: "StackupYAMLTests", dependencies: ["StackupYAML"], exclude: ["Fixtures"]),
        .testTarget(name: "StackupCoreTests", dependencies: ["StackupCore", "StackupYAML"], exclude: ["Fixtures"]),
        .testTarget(name: "StackupReportersTests", dependencies: ["StackupReporters", "StackupCore"], exclude: ["Golden"]),
        .testTarget(name: "StackupCLITests", dependencies: ["stackup"], exclude: ["Hostile"]),
    ],
    swiftLanguageModes: [.v6]
)
