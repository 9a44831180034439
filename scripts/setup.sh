#!/usr/bin/env bash
# Installs what Glossa needs beyond the Swift toolchain: OpenBLAS (Debian/Ubuntu:
# libopenblas-dev). With --browser also Chromium, which the tests use to check the demo's
# report as a browser draws it; with --speech espeak-ng and sox, which
# scripts/make-speech-corpus.sh speaks a corpus with. Installs nothing already there, and nothing on macOS
# (Accelerate; the browser checks use Chrome when GLOSSA_CHROMIUM names it).
set -euo pipefail
[ "$(uname -s)" = Linux ] || exit 0
packages=()
dpkg -s libopenblas-dev >/dev/null 2>&1 || packages+=(libopenblas-dev pkg-config)
for option in "$@"; do
  case "$option" in
    --browser) command -v chromium >/dev/null 2>&1 || packages+=(chromium) ;;
    --speech) command -v espeak-ng >/dev/null 2>&1 && command -v sox >/dev/null 2>&1 || packages+=(espeak-ng sox) ;;
  esac
done
[ ${#packages[@]} -gt 0 ] || exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: install ${packages[*]} (or your system's equivalents) and rerun" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup: installing ${packages[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${packages[@]}" >/dev/null
