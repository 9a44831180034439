#!/usr/bin/env bash
# Builds the fuzz targets (one binary, Fuzz/.build/fuzz/release/glossa-fuzz) with libFuzzer's
# coverage and AddressSanitizer over every Glossa module, in release mode. Links with lld (the
# toolchain's): gold fails on libFuzzer's runtime beside Swift's main.
# With --versioned, Glossa comes from a clone of this repository's last commit tagged 0.1.0, by
# URL and version, as a package that depends on Glossa gets it (CI builds it so).
set -euo pipefail
cd "$(dirname "$0")"
if [ "${1:-}" = --versioned ]; then
  shift
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  git clone --quiet .. "$work/glossa"
  git -C "$work/glossa" tag 0.1.0
  export GLOSSA_GIT_URL="$work/glossa"
fi
lld="$(dirname "$(command -v swift)")/ld.lld"
[ -x "$lld" ] || lld="$(command -v ld.lld)"
mkdir -p .build
printf '{ "schemaVersion": "1.0", "linker": { "path": "%s" } }\n' "$lld" > .build/lld-toolset.json
# SwiftPM keeps its build plan while this package's manifest is unchanged, and would not see a
# file added to Glossa: plan afresh each time (a few seconds).
rm -f .build/fuzz/release.yaml .build/fuzz/release/description.json
swift build -c release --scratch-path .build/fuzz --product glossa-fuzz --toolset .build/lld-toolset.json \
  --sanitize=address -Xswiftc -sanitize=fuzzer "$@" 2>&1 | grep -v -e 'Cannot export' -e 'ld.lld: warning' >&2
test -x .build/fuzz/release/glossa-fuzz
