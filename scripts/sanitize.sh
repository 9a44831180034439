#!/usr/bin/env bash
# Runs the whole test suite under a sanitizer, in a build folder of its own
# (.build/sanitize-NAME), so the plain build stays as it was.
#   scripts/sanitize.sh address     AddressSanitizer (and LeakSanitizer): out-of-bounds, use after free
#   scripts/sanitize.sh thread      ThreadSanitizer: data races. Hogwild training races by design
#                                   (threads update shared vectors without locks, as word2vec and
#                                   fastText do), so the tests that train embeddings on several
#                                   threads are skipped by name (HOGWILD_TESTS below).
#   scripts/sanitize.sh undefined   UndefinedBehaviorSanitizer, on the C kernels (Swift checks
#                                   overflow and bounds itself; swiftc has no -sanitize=undefined).
# Extra arguments go to `swift test` (e.g. --filter GlossaTextTests). Set TRAITS=MPI to build
# with the MPI trait too (the distributed tests then run their processes instrumented).
# The debug build is compiled optimised (-Xswiftc -O -Xcc -O2, as the README's test command asks;
# the sanitizers instrument the optimised code); GLOSSA_OPTIMIZE=0 checks the -Onone build.
set -euo pipefail
cd "$(dirname "$0")/.."
sanitizer="${1:?usage: scripts/sanitize.sh address|thread|undefined [swift test arguments]}"
shift
HOGWILD_TESTS='fastTextGivesAnUnseenWordAVectorNearItsRelatives'
arguments=(--scratch-path ".build/sanitize-$sanitizer")
[ -n "${TRAITS:-}" ] && arguments+=(--traits "$TRAITS")
export SWIFT_BACKTRACE=enable=no
if [ "${GLOSSA_OPTIMIZE:-1}" = 1 ]; then arguments+=(-Xswiftc -O -Xcc -O2); fi
case "$sanitizer" in
  address)
    # Leak checking is off: a test process ends with objects still alive (fixtures, XCTest's and
    # Foundation's own), which LeakSanitizer reports; the fuzz targets check leaks input by input.
    export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:halt_on_error=1}"
    swift test "${arguments[@]}" --sanitize=address "$@"
    ;;
  thread)
    export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}"
    swift test "${arguments[@]}" --sanitize=thread --skip "$HOGWILD_TESTS" "$@"
    ;;
  undefined)
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
    runtime=$(ls "$(dirname "$(command -v swift)")"/../lib/clang/*/lib/linux/libclang_rt.ubsan_standalone-x86_64.so \
      2>/dev/null | head -1)
    [ -n "$runtime" ] || { echo "scripts/sanitize.sh: no clang UBSan runtime beside swift" >&2; exit 2; }
    swift test "${arguments[@]}" -Xcc -fsanitize=undefined -Xcc -fno-sanitize-recover=undefined \
      -Xlinker "$runtime" -Xlinker -rpath -Xlinker "$(dirname "$runtime")" "$@"
    ;;
  *)
    echo "scripts/sanitize.sh: unknown sanitizer '$sanitizer' (address, thread or undefined)" >&2
    exit 2
    ;;
esac
