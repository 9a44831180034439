#!/usr/bin/env bash
# Data-parallel training over Open MPI against one process, on this machine: the classifier and
# the language model on the demo's samples, one process of one thread against 2 processes of one
# thread each (mpirun binds each to a core), the same global batch. Prints the training rate of
# each (examples or tokens per second of training passes, from the metrics' last line), their
# ratio, and the share of a step the 2-process run spent summing gradients. Then skip-gram and
# FastText on the demo corpus (GLOSSA_DATA/text-corpus-medium) alone and on 2 processes by model
# averaging: the training time and the analogy accuracy (word-benchmarks/questions-words-half.txt).
# Usage: benchmarks/compare-distributed.sh [WORK]   (needs scripts/setup.sh --mpi)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/glossa-distributed}
mkdir -p "$work"
swift build -c release --traits MPI --product glossa >&2
glossa=$(swift build -c release --traits MPI --show-bin-path)/glossa
data=Sources/glossa/Demo/DemoData
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
field() { tail -1 "$1" | sed -E "s/.*\"$2\":([0-9.e+-]+).*/\1/"; }
run() {  # name processes arguments...
  local name=$1 processes=$2
  shift 2
  rm -rf "$work/$name-$processes"
  if [ "$processes" = 1 ]; then
    "$glossa" "$@" --threads 1 --output "$work/$name-$processes" 2>/dev/null
  else
    mpirun -np "$processes" --bind-to core "$glossa" "$@" --threads 1 --output "$work/$name-$processes" 2>/dev/null
  fi
}
head -1800 "$data/austen.txt" > "$work/lm-train.txt"
sed -n 1801,2000p "$data/austen.txt" > "$work/lm-valid.txt"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
printf "%-10s %14s %14s %7s %15s\n" task "1 process" "2 processes" ratio "communication"
for task in classify lm; do
  case $task in
    classify) arguments=(train classify --train "$data/reviews.tsv" --epochs 1) ;;
    lm) arguments=(train lm --train "$work/lm-train.txt" --valid "$work/lm-valid.txt" --epochs 1) ;;
  esac
  run "$task" 1 "${arguments[@]}"
  run "$task" 2 "${arguments[@]}"
  one=$(field "$work/$task-1/metrics.jsonl" examples_per_s)
  two=$(field "$work/$task-2/metrics.jsonl" examples_per_s)
  share=$(field "$work/$task-2/metrics.jsonl" communication_share)
  printf "%-10s %14.0f %14.0f %6.2fx %14.1f%%\n" "$task" "$one" "$two" "$(echo "$two / $one" | bc -l)" \
    "$(echo "$share * 100" | bc -l)"
done
corpus=${GLOSSA_DATA:-../shared/data}
questions=$corpus/word-benchmarks/questions-words-half.txt
medium=("$corpus"/text-corpus-medium/*.txt)
printf "\n%-22s %22s %22s\n" embeddings "1 process" "2 processes"
for model in "skipgram 3" "fasttext 1"; do
  set -- $model
  arguments=(embed train --model "$1" --epochs "$2" --lowercase --threads 1 "${medium[@]}")
  cells=()
  for processes in 1 2; do
    # The training time as glossa prints it ("trained in S s").
    if [ "$processes" = 1 ]; then
      log=$("$glossa" "${arguments[@]}" --output "$work/$1-$processes.bin" 2>&1 >/dev/null)
    else
      log=$(mpirun -np 2 --bind-to core "$glossa" "${arguments[@]}" --output "$work/$1-$processes.bin" 2>&1)
    fi
    seconds=$(echo "$log" | sed -n 's/.*trained in \([0-9.]*\) s.*/\1/p' | tail -1)
    accuracy=$("$glossa" embed evaluate --vectors "$work/$1-$processes.bin" --analogies "$questions" \
      --restrict 30000 2>&1 | awk '/total/ {print $2}')
    cells+=("$(printf "%.1f s, %s" "$seconds" "$accuracy")")
  done
  printf "%-22s %22s %22s\n" "$1, $2 epochs" "${cells[0]}" "${cells[1]}"
done
