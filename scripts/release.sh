#!/usr/bin/env bash
# Builds glossa for release with the Swift runtime and Foundation linked into the executable
# (--static-swift-stdlib), so that it runs on a machine without Swift, and packs it with the
# demo's data (Glossa_glossa.resources, which must stay beside the executable) into
#   dist/glossa-VERSION-linux-ARCH.tar.gz
# Then it lists what the executable still needs from the system: OpenBLAS, the C and C++
# runtimes (on Debian and Ubuntu: apt-get install libopenblas0 libstdc++6).
#   scripts/release.sh [OUTPUT_FOLDER]     (default: dist)
set -euo pipefail
cd "$(dirname "$0")/.."
output="${1:-dist}"
swift build -c release --product glossa --static-swift-stdlib
bin="$(swift build -c release --show-bin-path)"
version="$("$bin/glossa" --version)"
name="glossa-$version-$(uname -s | tr '[:upper:]' '[:lower:]')-$(uname -m)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name" "$output"
cp "$bin/glossa" "$stage/$name/glossa"
strip "$stage/$name/glossa"
cp -R "$bin/Glossa_glossa.resources" "$stage/$name/"
# Written under a temporary name and renamed, so an interrupted run leaves no partial archive.
tar -C "$stage" -czf "$output/$name.tar.gz.partial" "$name"
mv "$output/$name.tar.gz.partial" "$output/$name.tar.gz"
echo "$output/$name.tar.gz ($(du -h "$output/$name.tar.gz" | cut -f1))"
if ldd "$stage/$name/glossa" | grep -q 'libswift\|libFoundation\|libdispatch'; then
  echo "scripts/release.sh: the Swift runtime is still linked dynamically:" >&2
  ldd "$stage/$name/glossa" >&2
  exit 1
fi
echo "needs from the system:"
ldd "$stage/$name/glossa" | awk '{print "  " $1}' | grep -v 'linux-vdso\|ld-linux'
