#!/usr/bin/env bash
# Installs what Glossa needs beyond the Swift toolchain: OpenBLAS (Debian/Ubuntu:
# libopenblas-dev). Does nothing when it is already there, or on macOS (Accelerate).
set -euo pipefail
[ "$(uname -s)" = Linux ] || exit 0
if dpkg -s libopenblas-dev >/dev/null 2>&1; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: install OpenBLAS's development files (libopenblas-dev or openblas-devel) and rerun" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup: installing libopenblas-dev" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libopenblas-dev pkg-config >/dev/null
