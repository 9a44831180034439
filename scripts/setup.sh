#!/usr/bin/env bash
# Installs what Glossa needs beyond the Swift toolchain: OpenBLAS (Debian/Ubuntu:
# libopenblas-dev). With --browser also Chromium and chromedriver, which the tests use to check
# the demo's report as a browser draws it, and a Python virtual environment with Selenium
# (.build/browser-venv, from PyPI) that drives the server's playground page; with --speech espeak-ng and sox, which
# scripts/make-speech-corpus.sh speaks a corpus with; with --mpi Open MPI (libopenmpi-dev, openmpi-bin), for
# data-parallel training (`swift build --traits MPI`). Installs nothing already there, and nothing on macOS
# (Accelerate; the browser checks use Chrome when GLOSSA_CHROMIUM names it).
set -euo pipefail
[ "$(uname -s)" = Linux ] || exit 0
packages=()
dpkg -s libopenblas-dev >/dev/null 2>&1 || packages+=(libopenblas-dev pkg-config)
for option in "$@"; do
  case "$option" in
    --browser)
      command -v chromium >/dev/null 2>&1 || packages+=(chromium)
      command -v chromedriver >/dev/null 2>&1 || packages+=(chromium-driver)
      python3 -c 'import ensurepip' >/dev/null 2>&1 || packages+=(python3-venv)
      browser=1
      ;;
    --mpi) dpkg -s libopenmpi-dev >/dev/null 2>&1 && command -v mpirun >/dev/null 2>&1 || packages+=(libopenmpi-dev openmpi-bin) ;;
    --speech) command -v espeak-ng >/dev/null 2>&1 && command -v sox >/dev/null 2>&1 || packages+=(espeak-ng sox) ;;
  esac
done
browser=${browser:-0}
make_browser_venv() {
  [ "$browser" = 1 ] || return 0
  local venv
  venv="$(cd "$(dirname "$0")/.." && pwd)/.build/browser-venv"
  "$venv/bin/python" -c 'import selenium' >/dev/null 2>&1 && return 0
  echo "setup: making $venv with Selenium" >&2
  python3 -m venv "$venv" && "$venv/bin/pip" install -q selenium
}
if [ ${#packages[@]} -eq 0 ]; then
  make_browser_venv
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: install ${packages[*]} (or your system's equivalents) and rerun" >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup: installing ${packages[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${packages[@]}" >/dev/null
make_browser_venv
