#!/usr/bin/env bash
# `glossa tokenize --tokenizer FILE --ids` beside HuggingFace tokenizers' `encode_batch` and
# tiktoken's `encode_ordinary_batch`, one tokenizer family at a time, in one run: the rows of
# docs/benchmarks.md's "The command line as a whole process" for tokenizer files.
#   benchmarks/compare-tokenizer-files.sh VENV [WORKDIR]
# VENV: a Python virtual environment with tokenizers and tiktoken. The tokenizers are the
# fixtures' (Llama-3-like, its pipeline variant with an added token, T5-like) and GPT-2's ranks
# from ../shared/data/bpe-gpt2 as a `.tiktoken` file. Each pair runs twice, Glossa first, on
# one core (`taskset -c 0`, the references on one thread) and then on two; the ids are
# compared line for line. Prints one line per run: seconds, the reference's, the ratio.
set -euo pipefail
VENV=${1:?usage: compare-tokenizer-files.sh VENV [WORKDIR]}
WORK=${2:-$HOME/glossa-peers}
cd "$(dirname "$0")/.."
PEERS=${GLOSSA_PEERS:-../shared/peers}
DATA=${GLOSSA_DATA:-../shared/data}
PY="$VENV/bin/python"
swift build -c release --product glossa >&2
mkdir -p "$WORK/files"
[ -f "$WORK/peers-corpus-10mb.txt" ] || "$PY" "$PEERS/make_corpus.py" --data "$DATA" --out "$WORK" >&2
CORPUS="$WORK/peers-corpus-10mb.txt"
FILES="$WORK/files"
"$PY" - "$FILES" "$DATA/bpe-gpt2" <<'EOF'
import json, sys, base64
import tiktoken.load
files, gpt2 = sys.argv[1], sys.argv[2]
fixtures = "Tests/GlossaTextTests/Fixtures/"
def save(name, tokenizer):
    with open(f"{files}/{name}.json", "w") as out:
        out.write(tokenizer if isinstance(tokenizer, str) else json.dumps(tokenizer))
save("llama3-like", json.load(open(fixtures + "split_cases.json"))["llama3"]["tokenizer"])
for case in json.load(open(fixtures + "pipeline_cases.json")):
    if case["name"].startswith("Llama-3-like"):
        save("llama3-like-added", case["tokenizer"])
    if case["name"].startswith("T5-like"):
        save("t5-like", case["tokenizer"])
ranks = tiktoken.load.data_gym_to_mergeable_bpe_ranks(f"{gpt2}/merges.txt", f"{gpt2}/vocab.json")
with open(f"{files}/gpt2.tiktoken", "w") as out:
    for token, rank in sorted(ranks.items(), key=lambda item: item[1]):
        out.write(f"{base64.b64encode(token).decode()} {rank}\n")
EOF
# run NAME THREADS GLOSSA-ARGS -- REFERENCE-ARGS
run() {
  local name=$1 threads=$2
  shift 2
  local glossa=() reference=()
  while [ "$1" != "--" ]; do glossa+=("$1"); shift; done
  shift
  reference=("$@")
  local pin=()
  [ "$threads" = 1 ] && pin=(taskset -c 0)
  for round in 1 2; do
    local g h
    g=$(/usr/bin/time -f "%e" "${pin[@]}" .build/release/glossa tokenize "${glossa[@]}" --ids \
      <"$CORPUS" 2>&1 >"$FILES/glossa.ids" | tail -1)
    h=$(RAYON_NUM_THREADS=$threads "${pin[@]}" "$PY" "${reference[@]}" --ids "$FILES/reference.ids" |
      "$PY" -c "import json, sys; print(json.load(sys.stdin)['seconds'])")
    cmp -s "$FILES/glossa.ids" "$FILES/reference.ids" && same=same || same=DIFFERENT
    echo "$name, $threads thread(s), round $round: Glossa $g s, reference $h s," \
      "$("$PY" -c "print(f'{$h / $g:.2f}')")x, ids $same"
  done
}
for threads in 1 2; do
  for name in llama3-like llama3-like-added t5-like; do
    run "$name" "$threads" --tokenizer "$FILES/$name.json" -- \
      benchmarks/tokenizer_json_reference.py "$FILES/$name.json" "$CORPUS"
  done
  for pattern in gpt2 cl100k; do
    run "gpt2.tiktoken ($pattern pattern)" "$threads" --tokenizer "$FILES/gpt2.tiktoken" --pattern "$pattern" -- \
      benchmarks/tiktoken_reference.py "$FILES/gpt2.tiktoken" "$pattern" "$CORPUS" --threads "$threads"
  done
done
# Text that is not ASCII (the Spanish side of the parallel corpus, 95% of its lines), which
# takes the general path when the normalizer changes it and the unchanged-text path otherwise.
cut -f2 "$DATA/parallel-en-es-bible/train.tsv" >"$FILES/spanish.txt"
CORPUS="$FILES/spanish.txt" run "t5-like, Spanish text" 1 --tokenizer "$FILES/t5-like.json" -- \
  benchmarks/tokenizer_json_reference.py "$FILES/t5-like.json" "$FILES/spanish.txt"
