#!/usr/bin/env bash
# Builds the fuzz targets (one binary, Fuzz/.build/fuzz/release/glossa-fuzz) with libFuzzer's
# coverage and AddressSanitizer over every Glossa module, in release mode. Links with lld (the
# toolchain's): gold fails on libFuzzer's runtime beside Swift's main.
set -euo pipefail
cd "$(dirname "$0")"
lld="$(dirname "$(command -v swift)")/ld.lld"
[ -x "$lld" ] || lld="$(command -v ld.lld)"
mkdir -p .build
printf '{ "schemaVersion": "1.0", "linker": { "path": "%s" } }\n' "$lld" > .build/lld-toolset.json
swift build -c release --scratch-path .build/fuzz --product glossa-fuzz --toolset .build/lld-toolset.json \
  --sanitize=address -Xswiftc -sanitize=fuzzer "$@" 2>&1 | grep -v -e 'Cannot export' -e 'ld.lld: warning' >&2
test -x .build/fuzz/release/glossa-fuzz
