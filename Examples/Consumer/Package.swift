// swift-tools-version:6.0
import PackageDescription

// A package that depends on Glossa as any other package would: by URL and version, so that
// SwiftPM applies its rules for versioned dependencies (no unsafe flags, among them).
// scripts/check-consumer.sh points GLOSSA_GIT_URL at a tagged clone of this repository.
let glossa = Context.environment["GLOSSA_GIT_URL"] ?? "https://github.com/glossa-nlp/glossa"

let package = Package(
  name: "Consumer",
  platforms: [.macOS(.v15)],
  dependencies: [.package(url: glossa, from: "0.1.0")],
  targets: [
    .executableTarget(
      name: "consumer",
      dependencies: [
        .product(name: "GlossaData", package: "glossa"),
        .product(name: "GlossaEmbeddings", package: "glossa"),
        .product(name: "GlossaModels", package: "glossa"),
        .product(name: "GlossaNN", package: "glossa"),
        .product(name: "GlossaOptim", package: "glossa"),
        .product(name: "GlossaTensor", package: "glossa"),
        .product(name: "GlossaText", package: "glossa"),
      ])
  ]
)
