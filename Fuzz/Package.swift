// swift-tools-version:6.1
import PackageDescription

// Fuzz targets for every file Glossa reads, built with libFuzzer and AddressSanitizer by
// Fuzz/build.sh, apart from the main package. One binary serves every target; GLOSSA_FUZZ_TARGET
// picks one (Fuzz/run.sh sets it).
// SwiftPM names a package found by path after its folder: whatever the clone is called.
let glossa = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "glossa")

let package = Package(
  name: "GlossaFuzz",
  platforms: [.macOS(.v15)],
  dependencies: [.package(path: "..")],
  targets: [
    .executableTarget(
      name: "glossa-fuzz",
      dependencies: [
        "CLibFuzzer",
        .product(name: "GlossaAudio", package: glossa),
        .product(name: "GlossaData", package: glossa),
        .product(name: "GlossaEmbeddings", package: glossa),
        .product(name: "GlossaModels", package: glossa),
        .product(name: "GlossaTensor", package: glossa),
        .product(name: "GlossaText", package: glossa),
      ],
      path: "Sources/GlossaFuzz"),
    .target(name: "CLibFuzzer"),
  ]
)
