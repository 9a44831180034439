#!/usr/bin/env bash
# Builds and runs Examples/Consumer against a tagged clone of this repository's last commit,
# so that SwiftPM treats Glossa as a versioned dependency (and refuses it if a target carries
# unsafe flags). Uncommitted changes are not in the clone.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git clone --quiet "$root" "$work/glossa"
git -C "$work/glossa" tag 0.1.0
cp -R "$root/Examples/Consumer" "$work/consumer"
cd "$work/consumer"
GLOSSA_GIT_URL="$work/glossa" swift run --quiet consumer
