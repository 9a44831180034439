#!/usr/bin/env bash
# Glossa's embedding trainers beside gensim's and fastText's, in one run, on the same
# preprocessed corpus (the first 10 MB of the peers' benchmark corpus, lowercased \w+ tokens,
# made by ../shared/peers/word2vec.py) with the same settings: dimension 100, window 5,
# 5 noise words, min count 5, sample 1e-3; epochs 1 and 5; 1 and 2 threads.
#   benchmarks/compare-embeddings.sh VENV [WORKDIR] [EPOCHS] [THREADS]
# Prints one JSON line per Glossa run (training seconds and words/s as gensim counts them:
# corpus words × epochs / training time; analogy accuracy on questions-words-half.txt with
# the 30,000 most frequent words), then the peers' JSON line.
set -euo pipefail
VENV=${1:?usage: compare-embeddings.sh VENV [WORKDIR] [EPOCHS] [THREADS]}
WORK=${2:-$HOME/glossa-peers}
EPOCHS=${3:-1,5}
THREADS=${4:-1,2}
cd "$(dirname "$0")/.."
PEERS=${GLOSSA_PEERS:-../shared/peers}
DATA=${GLOSSA_DATA:-../shared/data}
PY="$VENV/bin/python"
QUESTIONS="$DATA/word-benchmarks/questions-words-half.txt"
swift build -c release >&2
mkdir -p "$WORK/work" "$WORK/art"
[ -f "$WORK/peers-corpus-10mb.txt" ] || "$PY" "$PEERS/make_corpus.py" --data "$DATA" --out "$WORK" >&2
# The peers' preprocessing, run once (gensim and fastText read this file too).
"$PY" "$PEERS/word2vec.py" --corpus "$WORK/peers-corpus-10mb.txt" --max-mb 10 --algos gensim:cbow --epochs 1 \
  --threads 1 --repeats 1 --workdir "$WORK/work" >/dev/null 2>&1
CORPUS="$WORK/work/w2v_peers-corpus-10mb_10mb.txt"
for model in skipgram cbow fasttext; do
  for epochs in ${EPOCHS//,/ }; do
    for threads in ${THREADS//,/ }; do
      out="$WORK/art/glossa_${model}_${epochs}_${threads}.bin"
      log=$(.build/release/glossa embed train --model "$model" --epochs "$epochs" --threads "$threads" \
        --output "$out" "$CORPUS" 2>&1 | tr '\r' '\n')
      seconds=$(sed -n 's/^trained in \([0-9.]*\) s.*/\1/p' <<<"$log")
      rate=$(sed -n 's/^trained in .*: \([0-9]*\) words.*/\1/p' <<<"$log")
      accuracy=$(.build/release/glossa embed evaluate --vectors "$out" --analogies "$QUESTIONS" --json |
        "$PY" -c 'import json,sys; a=json.load(sys.stdin)["analogies"]; print(a["accuracy"], a["correct"]+a["incorrect"])')
      echo "{\"lib\": \"glossa\", \"algo\": \"$model\", \"epochs\": $epochs, \"threads\": $threads," \
        "\"train_s\": $seconds, \"words_per_s\": $rate, \"analogy_acc\": ${accuracy% *}, \"analogy_n\": ${accuracy#* }}"
    done
  done
done
"$PY" "$PEERS/word2vec.py" --corpus "$WORK/peers-corpus-10mb.txt" --max-mb 10 --epochs "$EPOCHS" \
  --threads "$THREADS" --repeats 1 --workdir "$WORK/work" --analogies "$QUESTIONS" 2>/dev/null
