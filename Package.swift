// swift-tools-version:6.1
import PackageDescription

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
    // Without its default trait ConfigurationSupport (swift-configuration), which Glossa does not use.
    .package(
      url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0", traits: ["FullFoundation"]),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.0"),
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
      linkerSettings: [.linkedFramework("Accelerate", .when(platforms: [.macOS, .iOS]))]
    ),
    .target(name: "GlossaNN", dependencies: ["GlossaTensor"]),
    .target(name: "GlossaOptim", dependencies: ["GlossaTensor"]),
    .target(name: "GlossaText", dependencies: ["GlossaLock"]),
    .target(
      name: "GlossaData", dependencies: ["GlossaTensor", "GlossaText", "GlossaOptim"]),
    .target(
      name: "GlossaEmbeddings",
      dependencies: [
        "GlossaTensor", "GlossaText", "GlossaData", "CGlossaKernels", "GlossaLock",
      ]),
    .target(name: "GlossaViz"),
    .target(name: "GlossaAudio"),
    .target(
      name: "GlossaModels",
      dependencies: [
        "GlossaTensor", "GlossaNN", "GlossaOptim", "GlossaText", "GlossaData", "GlossaEmbeddings",
        "GlossaViz", "GlossaAudio",
      ]),
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
      ]
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
      dependencies: [
        "glossa", "GlossaAudio", "GlossaModels", "GlossaText", "GlossaDistributed", "TestSupport",
      ],
      exclude: ["Malformed"]),
    .testTarget(name: "GlossaVizTests", dependencies: ["GlossaViz", "TestSupport"]),
    .testTarget(
      name: "GlossaServerTests",
      dependencies: [
        "GlossaServer", "glossa-server", "GlossaModels", "GlossaText", "GlossaAudio", "GlossaData",
        "GlossaEmbeddings",
        "TestSupport",
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
      ],
      exclude: ["check_playground.py"]),
    .testTarget(name: "GlossaAudioTests", dependencies: ["GlossaAudio"], exclude: ["Fixtures"]),
  ],
  swiftLanguageModes: [.v6]
)
