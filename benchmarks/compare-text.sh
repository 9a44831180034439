#!/usr/bin/env bash
# Glossa's text workloads beside the reference tools', in one run: TF-IDF (scikit-learn),
# BPE training and encoding (HF tokenizers, sentencepiece), word tokenization (re, NLTK).
#   benchmarks/compare-text.sh VENV [WORKDIR]
# VENV: a Python virtual environment with the peers' packages (../shared/peers/README.md).
# Prints one JSON line per measurement (Glossa's and the peers').
set -euo pipefail
VENV=${1:?usage: compare-text.sh VENV [WORKDIR]}
WORK=${2:-$HOME/glossa-peers}
cd "$(dirname "$0")/.."
PEERS=${GLOSSA_PEERS:-../shared/peers}
DATA=${GLOSSA_DATA:-../shared/data}
PY="$VENV/bin/python"
swift build -c release >&2
mkdir -p "$WORK/art" "$WORK/work"
[ -f "$WORK/peers-corpus-10mb.txt" ] || "$PY" "$PEERS/make_corpus.py" --data "$DATA" --out "$WORK" >&2
SMALL="$WORK/peers-corpus-10mb.txt"
FULL="$WORK/peers-corpus.txt"
# TF-IDF, then the whole process's peak memory (the documents loaded, as the peers' child
# process holds them too).
for corpus in "$SMALL" "$FULL"; do
  /usr/bin/time -o "$WORK/tfidf.time" -f "%M" .build/release/GlossaBench tfidf --corpus "$corpus"
  echo "{\"workload\": \"tfidf_memory\", \"library\": \"glossa\", \"corpus\": \"$(basename "$corpus")\", \"peak_rss_kb\": $(cat "$WORK/tfidf.time")}"
done
"$PY" "$PEERS/tfidf.py" --corpus "$FULL" --sizes-mb 10,0 --dtypes float64 --repeats 1
# Training seconds as HF's script times them (reading and training, not saving), the whole
# process's seconds and its peak memory.
for vocab in 8000 32000; do
  log=$(/usr/bin/time -f "process %e s %M KB" .build/release/glossa tokenizer train --vocab-size "$vocab" \
    --min-frequency 2 --end-of-word "" --special "[UNK]" --output "$WORK/art/glossa_bpe_$vocab.json" "$SMALL" 2>&1 |
    tr '\r' '\n')
  train=$(sed -n 's/^trained in \([0-9.]*\) s.*/\1/p' <<<"$log")
  read -r process rss < <(sed -n 's/^process \([0-9.]*\) s \([0-9]*\) KB/\1 \2/p' <<<"$log")
  echo "{\"workload\": \"bpe_train\", \"library\": \"glossa\", \"vocab\": $vocab, \"train_s\": $train," \
    "\"process_s\": $process, \"peak_rss_kb\": $rss}"
done
"$PY" "$PEERS/bpe_train.py" --corpus "$SMALL" --max-mb 0 --repeats 1 --artifacts "$WORK/art" --workdir "$WORK/work"
.build/release/GlossaBench bpe_encode --tokenizer "$WORK/art/hf_bpe_32000.json" --corpus "$SMALL"
"$PY" "$PEERS/bpe_encode.py" --corpus "$SMALL" --max-mb 0 --libs hf,spm --repeats 1 --artifacts "$WORK/art" --workdir "$WORK/work"
.build/release/GlossaBench word_tokenize --corpus "$SMALL"
"$PY" "$PEERS/word_tokenize.py" --corpus "$SMALL" --max-mb 0 --nltk-max-mb 3 --repeats 1
