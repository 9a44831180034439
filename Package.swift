// swift-tools-version:6.1
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
    .library(name: "GlossaServer", targets: ["GlossaServer"]),
    .library(name: "GlossaDistributed", targets: ["GlossaDistributed"]),
    .executable(name: "glossa", targets: ["glossa"]),
    .executable(name: "glossa-server", targets: ["glossa-server"]),
  ],
  traits: [
    .trait(
      name: "MPI",
      description:
        "Data-parallel training across processes over Open MPI (libopenmpi-dev; scripts/setup.sh --mpi)")
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // The server's HTTP stack; `glossa` and the libraries do not depend on it.
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.30.0"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    // `swift package generate-documentation` (scripts/docs.sh): the modules' DocC catalogs.
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CBLAS",
      pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]
    ),
    .target(name: "CGlossaKernels"),
    .target(name: "GlossaLock"),
    .target(
      name: "GlossaTensor",
      dependencies: [
        "CGlossaKernels", "GlossaLock", .target(name: "CBLAS", condition: .when(platforms: [.linux])),
      ],
      swiftSettings: nativeFlags,
      linkerSettings: [.linkedFramework("Accelerate", .when(platforms: [.macOS, .iOS]))]
    ),
    .target(name: "GlossaNN", dependencies: ["GlossaTensor"], swiftSettings: nativeFlags),
    .target(name: "GlossaOptim", dependencies: ["GlossaTensor"], swiftSettings: nativeFlags),
    .target(name: "GlossaText", dependencies: ["GlossaLock"], swiftSettings: nativeFlags),
    .target(
      name: "GlossaData", dependencies: ["GlossaTensor", "GlossaText", "GlossaOptim"],
      swiftSettings: nativeFlags),
    .target(
      name: "GlossaEmbeddings",
      dependencies: [
        "GlossaTensor", "GlossaText", "GlossaData", "CGlossaKernels", "GlossaLock",
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
    // Open MPI, only with the MPI trait: the default build neither needs nor links it.
    .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),
    .target(
      name: "GlossaDistributed",
      dependencies: ["GlossaData", "GlossaLock", .target(name: "CMPI", condition: .when(traits: ["MPI"]))]),
    .executableTarget(
      name: "glossa",
      dependencies: [
        "GlossaTensor", "GlossaNN", "GlossaOptim", "GlossaText", "GlossaData", "GlossaEmbeddings",
        "GlossaViz", "GlossaAudio", "GlossaDistributed", "GlossaLock",
        "GlossaModels", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      // The demo's data: small samples of the shared datasets (Demo/DemoData/README.md).
      resources: [.copy("Demo/DemoData")]
    ),
    .target(
      name: "GlossaServer",
      dependencies: [
        "GlossaModels", "GlossaEmbeddings", "GlossaText", "GlossaAudio", "GlossaData",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Logging", package: "swift-log"),
      ],
      // The playground page and the OpenAPI document, served as they are.
      resources: [.copy("Public")]
    ),
    .executableTarget(
      name: "glossa-server",
      dependencies: [
        "GlossaServer", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Logging", package: "swift-log"),
      ]
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
    .testTarget(name: "GlossaTensorTests", dependencies: ["GlossaTensor", "GlossaLock", "TestSupport"]),
    .testTarget(name: "GlossaNNTests", dependencies: ["GlossaNN", "GlossaOptim", "TestSupport"]),
    .testTarget(
      name: "GlossaOptimTests",
      dependencies: ["GlossaOptim", "GlossaNN", "GlossaData", "GlossaModels", "TestSupport"]),
    .testTarget(name: "GlossaTextTests", dependencies: ["GlossaText", "TestSupport"], exclude: ["Fixtures"]),
    .testTarget(
      name: "GlossaEmbeddingsTests",
      dependencies: ["GlossaEmbeddings", "GlossaData", "GlossaTensor", "TestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(name: "GlossaDataTests", dependencies: ["GlossaData", "TestSupport"]),
    .testTarget(
      name: "GlossaModelsTests",
      dependencies: ["GlossaModels", "GlossaData", "GlossaNN", "GlossaText", "GlossaAudio", "TestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "GlossaCLITests",
      dependencies: ["glossa", "GlossaAudio", "GlossaModels", "GlossaDistributed", "TestSupport"]),
    .testTarget(name: "GlossaVizTests", dependencies: ["GlossaViz", "TestSupport"]),
    .testTarget(
      name: "GlossaServerTests",
      dependencies: [
        "GlossaServer", "glossa-server", "GlossaModels", "GlossaText", "GlossaAudio", "GlossaData",
        "GlossaEmbeddings",
        "TestSupport",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
      ],
      exclude: ["check_playground.py"]),
    .testTarget(name: "GlossaAudioTests", dependencies: ["GlossaAudio"], exclude: ["Fixtures"]),
  ],
  swiftLanguageModes: [.v6]
)

// GLOSSA_OPTIMIZE=1 swift test: Glossa's own targets (not its dependencies) compiled optimised
// in the debug build, so that the tests that train models run about ten times faster. Opt-in,
// since a package depended on by version may not carry unsafe flags.
if Context.environment["GLOSSA_OPTIMIZE"] == "1" {
  for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-O"], .when(configuration: .debug))]
    target.cSettings = (target.cSettings ?? []) + [.unsafeFlags(["-O2"], .when(configuration: .debug))]
  }
}
