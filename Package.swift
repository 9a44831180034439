// swift-tools-version:6.0
import PackageDescription

// Opt-in native build: GLOSSA_TARGET_CPU=znver3 (or skylake-avx512, …) swift build -c release
// generates code for that CPU. The default build stays portable (no CPU-specific flags).
let nativeFlags: [SwiftSetting] =
  Context.environment["GLOSSA_TARGET_CPU"].map { [.unsafeFlags(["-target-cpu", $0])] } ?? []

let package = Package(
  name: "Glossa",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "GlossaTensor", targets: ["GlossaTensor"]),
    .library(name: "GlossaNN", targets: ["GlossaNN"]),
    .library(name: "GlossaOptim", targets: ["GlossaOptim"]),
    .library(name: "GlossaText", targets: ["GlossaText"]),
    .library(name: "GlossaData", targets: ["GlossaData"]),
    .library(name: "GlossaEmbeddings", targets: ["GlossaEmbeddings"]),
    .library(name: "GlossaViz", targets: ["GlossaViz"]),
    .library(name: "GlossaAudio", targets: ["GlossaAudio"]),
    .library(name: "GlossaModels", targets: ["GlossaModels"]),
    .executable(name: "glossa", targets: ["glossa"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    .systemLibrary(
      name: "CBLAS",
      pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]
    ),
    .target(name: "CGlossaKernels"),
    .target(
      name: "GlossaTensor",
      dependencies: ["CGlossaKernels", .target(name: "CBLAS", condition: .when(platforms: [.linux]))],
      swiftSettings: nativeFlags,
      linkerSettings: [.linkedFramework("Accelerate", .when(platforms: [.macOS, .iOS]))]
    ),
    .target(name: "GlossaNN", dependencies: ["GlossaTensor"], swiftSettings: nativeFlags),
    .target(name: "GlossaOptim", dependencies: ["GlossaTensor"], swiftSettings: nativeFlags),
    .target(name: "GlossaText", swiftSettings: nativeFlags),
    .target(
      name: "GlossaData", dependencies: ["GlossaTensor", "GlossaText", "GlossaOptim"],
      swiftSettings: nativeFlags),
    .target(
      name: "GlossaEmbeddings",
      dependencies: [
        "GlossaTensor", "GlossaText", "GlossaData", "CGlossaKernels",
      ],
      swiftSettings: nativeFlags),
    .target(name: "GlossaViz"),
    .target(name: "GlossaAudio", swiftSettings: nativeFlags),
    .target(
      name: "GlossaModels",
      dependencies: [
        "GlossaTensor", "GlossaNN", "GlossaOptim", "GlossaText", "GlossaData", "GlossaEmbeddings",
        "GlossaViz", "GlossaAudio",
      ],
      swiftSettings: nativeFlags),
    .executableTarget(
      name: "glossa",
      dependencies: [
        "GlossaTensor", "GlossaNN", "GlossaOptim", "GlossaText", "GlossaData", "GlossaEmbeddings",
        "GlossaViz", "GlossaAudio",
        "GlossaModels", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      // The demo's data: small samples of the shared datasets (Demo/DemoData/README.md).
      resources: [.copy("Demo/DemoData")]
    ),
    .executableTarget(
      name: "GlossaBench",
      dependencies: [
        "GlossaTensor", "GlossaNN", "GlossaOptim", "GlossaText", "GlossaData", "GlossaEmbeddings",
        "GlossaModels", "GlossaAudio",
      ],
      swiftSettings: nativeFlags
    ),
    .target(name: "TestSupport", dependencies: ["GlossaTensor", "GlossaAudio"], path: "Tests/TestSupport"),
    .testTarget(name: "GlossaTensorTests", dependencies: ["GlossaTensor", "TestSupport"]),
    .testTarget(name: "GlossaNNTests", dependencies: ["GlossaNN", "GlossaOptim", "TestSupport"]),
    .testTarget(
      name: "GlossaOptimTests",
      dependencies: ["GlossaOptim", "GlossaNN", "GlossaData", "GlossaModels", "TestSupport"]),
    .testTarget(name: "GlossaTextTests", dependencies: ["GlossaText", "TestSupport"]),
    .testTarget(
      name: "GlossaEmbeddingsTests",
      dependencies: ["GlossaEmbeddings", "GlossaData", "GlossaTensor", "TestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(name: "GlossaDataTests", dependencies: ["GlossaData", "TestSupport"]),
    .testTarget(
      name: "GlossaModelsTests",
      dependencies: ["GlossaModels", "GlossaData", "GlossaNN", "GlossaText", "GlossaAudio", "TestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(name: "GlossaCLITests", dependencies: ["glossa", "GlossaAudio", "TestSupport"]),
    .testTarget(name: "GlossaVizTests", dependencies: ["GlossaViz", "TestSupport"]),
    .testTarget(name: "GlossaAudioTests", dependencies: ["GlossaAudio"], exclude: ["Fixtures"]),
  ],
  swiftLanguageModes: [.v6]
)
