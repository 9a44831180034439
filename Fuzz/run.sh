#!/usr/bin/env bash
# Fuzz/run.sh TARGET|all [libFuzzer flags]: runs a fuzz target (Fuzz/build.sh builds them) on its
# seeds (valid files in Fuzz/Corpus/TARGET, the malformed files of the command-line tests in
# Tests/GlossaCLITests/Malformed/TARGET) and the inputs of crashes found before
# (Fuzz/Regressions/TARGET), growing a working corpus in Fuzz/.build/corpus/TARGET. A crash, a
# leak, a hang over 10 s or a single allocation over 1 GB stops it with its input saved in
# Fuzz/.build/crashes/TARGET. Without flags it runs for a minute; `all -runs=10000` is CI's
# smoke. Targets run side by side, one per core (JOBS sets how many); a line per target says
# how it went.
set -euo pipefail
cd "$(dirname "$0")"
binary=.build/fuzz/release/glossa-fuzz
[ -x "$binary" ] || { echo "Fuzz/run.sh: build the targets first (Fuzz/build.sh)" >&2; exit 2; }
target="${1:?usage: Fuzz/run.sh TARGET|all [libFuzzer flags]}"
shift
flags=("$@")
[ ${#flags[@]} -gt 0 ] || flags=(-max_total_time=60)
if [ "$target" = all ]; then
  targets=$(ls Corpus)
else
  targets="$target"
fi
export SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export LSAN_OPTIONS="suppressions=$PWD/lsan-suppressions.txt${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
malformed=../Tests/GlossaCLITests/Malformed
# One target: a line on standard error says how it went. (Standard output carries the names of
# the targets that failed; tee to /dev/stderr would truncate a log that standard error goes to.)
run_one() {
  local name="$1" started runs
  [ -d "Corpus/$name" ] || { echo "Fuzz/run.sh: no target '$name' (see Fuzz/Corpus)" >&2; return 2; }
  mkdir -p ".build/corpus/$name" ".build/crashes/$name" "Regressions/$name"
  started=$(date +%s)
  if GLOSSA_FUZZ_TARGET="$name" "$binary" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
    -artifact_prefix=".build/crashes/$name/" -print_final_stats=1 "${flags[@]}" \
    ".build/corpus/$name" "Corpus/$name" "Regressions/$name" $(ls -d "$malformed/$name" 2>/dev/null) \
    > ".build/$name.log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' ".build/$name.log")
    echo "$name: $runs executions in $(($(date +%s) - started)) s, no failure" >&2
  else
    echo "$name: FAILED (log: Fuzz/.build/$name.log; input: Fuzz/.build/crashes/$name/)" >&2
    grep -m5 -E "ERROR|property failed|Fatal error|==[0-9]+==" ".build/$name.log" >&2 || tail -5 ".build/$name.log" >&2
    return 1
  fi
}
export -f run_one
export binary malformed
export FLAGS="${flags[*]}"
failed=$(printf '%s\n' $targets | xargs -P "${JOBS:-$(nproc 2>/dev/null || echo 2)}" -I{} \
  bash -c 'flags=($FLAGS); run_one "$1" || echo "$1"' _ {})
[ -z "$failed" ] || { echo "Fuzz/run.sh: failed: $(echo $failed)" >&2; exit 1; }
