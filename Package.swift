// swift-tools-version: 6.0
import PackageDescription

// The pipeline, one module per stage:
// CLibYAML → StackupYAML → StackupCore → StackupReporters → stackup (CLI); StackupCore also
// reads compressed event logs through the system zlib (CZlib).
// Release builds link the Swift runtime and Foundation statically: loading and relocating
// them was half of `stackup --version` and a fifth of a small design's check
// (docs/performance.md). Modules are compiled for it too, so that they link the static
// libraries Foundation's modules need.
let staticInRelease: [SwiftSetting] = [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]
let staticLinkInRelease: [LinkerSetting] = [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]

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
        .target(name: "StackupYAML", dependencies: ["CLibYAML"], swiftSettings: staticInRelease),
        .target(name: "StackupCore", dependencies: ["StackupYAML", "CZlib"], swiftSettings: staticInRelease),
        .target(name: "StackupReporters", dependencies: ["StackupCore"], swiftSettings: staticInRelease),
        .executableTarget(
            name: "stackup",
            dependencies: [
                "StackupCore",
                "StackupReporters",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: staticInRelease,
            linkerSettings: staticLinkInRelease
        ),
        // Measures analyses in process; run by Scripts/bench-*.sh in a release build.
        .executableTarget(name: "stackup-bench", dependencies: ["StackupCore", "StackupYAML"], path: "Benchmarks/stackup-bench",
                          swiftSettings: staticInRelease, linkerSettings: staticLinkInRelease),
        // libFuzzer entry points; linked into a fuzzer by Scripts/fuzz, not by SwiftPM.
        .target(name: "StackupFuzz", dependencies: ["StackupCore", "StackupReporters"], path: "Fuzz/StackupFuzz"),
        .testTarget(name: "StackupYAMLTests", dependencies: ["StackupYAML"], exclude: ["Fixtures"]),
        .testTarget(name: "StackupCoreTests", dependencies: ["StackupCore", "StackupYAML"], exclude: ["Fixtures"]),
        .testTarget(name: "StackupReportersTests", dependencies: ["StackupReporters", "StackupCore"], exclude: ["Golden"]),
        .testTarget(name: "StackupCLITests", dependencies: ["stackup"], exclude: ["Hostile"]),
    ],
    swiftLanguageModes: [.v6]
)
