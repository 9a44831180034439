// swift-tools-version:6.1
import PackageDescription

// Fuzz targets for every file Glossa reads, built with libFuzzer and AddressSanitizer by
// Fuzz/build.sh, apart from the main package. One binary serves every target; GLOSSA_FUZZ_TARGET
// picks one (Fuzz/run.sh sets it).
//
// Glossa comes from the folder above, or, when GLOSSA_GIT_URL names a tagged clone (build.sh
// --versioned), by URL and version, as any package that depends on it gets it: SwiftPM then
// applies its rules for versioned dependencies (no unsafe flags), and the targets use only
// Glossa's public API.
let versioned = Context.environment["GLOSSA_GIT_URL"]
let dependency: Package.Dependency =
  versioned.map { .package(url: $0, from: "0.1.0") } ?? .package(path: "..")
// SwiftPM names a package after the last part of its URL or path: whatever the clone is called.
let glossa = String(
  (versioned ?? Context.packageDirectory).split(separator: "/").dropLast(versioned == nil ? 1 : 0).last
    ?? "glossa")

let package = Package(
  name: "GlossaFuzz",
  platforms: [.macOS(.v15)],
  dependencies: [dependency],
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
