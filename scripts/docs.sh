#!/usr/bin/env bash
# Builds the documentation of every library module (its DocC catalog, Sources/MODULE/MODULE.docc,
# and the doc comments of its public API) with swift-docc-plugin, and fails on any warning: a
# link to a symbol that does not exist, a parameter documented under a wrong name or not at all.
# The archives land in .build/plugins/Swift-DocC/outputs/MODULE.doccarchive; to read one,
#   swift package --disable-sandbox preview-documentation --target GlossaText
# Give it the build flags of the build before it (README's test command: -Xswiftc -O -Xcc -O2
# --sanitize=address), so that the plugin reuses that build.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=()
for catalog in Sources/*/*.docc; do targets+=(--target "$(basename "$(dirname "$catalog")")"); done
swift package "$@" generate-documentation "${targets[@]}" --warnings-as-errors
