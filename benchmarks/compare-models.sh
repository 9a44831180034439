#!/usr/bin/env bash
# Glossa's text classifier and language model beside PyTorch's (and TF-IDF + logistic
# regression from scikit-learn), trained on the same split files with the same settings, in
# one run. Prints one JSON line per run: validation quality and wall-clock seconds.
#   benchmarks/compare-models.sh VENV [WORKDIR] [classify|lm|tag|translate|all]
# VENV: a Python virtual environment with torch, scikit-learn and sacrebleu (pip install torch scikit-learn sacrebleu).
# SEEDS="0 1 2" trains the classifier and the translators once per seed, on both sides.
set -euo pipefail
VENV=${1:?usage: compare-models.sh VENV [WORKDIR] [classify|lm|tag|translate|all]}
WORK=${2:-$HOME/glossa-models}
WHAT=${3:-all}
cd "$(dirname "$0")/.."
DATA=${GLOSSA_DATA:-../shared/data}
PY="$VENV/bin/python"
REF=benchmarks/models_reference.py
THREADS=${THREADS:-2}
swift build -c release --product glossa >&2
G=.build/release/glossa
mkdir -p "$WORK"
seconds() { /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -1; }
if [ "$WHAT" = all ] || [ "$WHAT" = classify ]; then
  # Sentiment: a 10% validation split of the Rotten Tomatoes snippets; bidirectional LSTM,
  # embedding 100, hidden 128, dropout 0.3, Adam 1e-3, batch 32, up to 100 tokens, words seen twice.
  "$PY" $REF split-tsv --input "$DATA/sentiment-rt-snippets/train.tsv" --valid-fraction 0.1 --seed 0 --out "$WORK/rt" >&2
  EPOCHS=${EPOCHS:-5}
  for seed in ${SEEDS:-0}; do
    log="$WORK/classify-$seed.log"
    start=$(date +%s.%N)
    $G train classify --train "$WORK/rt/train.tsv" --valid "$WORK/rt/valid.tsv" --bidirectional --epochs "$EPOCHS" \
      --threads "$THREADS" --seed "$seed" --output "$WORK/classifier-$seed" 2>"$log"
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    accuracy=$(sed -n 's/.*validation accuracy \([0-9.]*\).*/\1/p' "$log" | tail -1)
    echo "{\"lib\": \"glossa\", \"task\": \"classify\", \"seed\": $seed, \"best_valid_accuracy\": $accuracy, \"process_seconds\": $wall, \"threads\": $THREADS}"
    "$PY" $REF classify --train "$WORK/rt/train.tsv" --valid "$WORK/rt/valid.tsv" --epochs "$EPOCHS" --threads "$THREADS" --seed "$seed"
  done
  "$PY" $REF tfidf --train "$WORK/rt/train.tsv" --valid "$WORK/rt/valid.tsv"
fi
if [ "$WHAT" = all ] || [ "$WHAT" = lm ]; then
  # Language model: every 10th line of text-corpus-medium held out; 2-layer LSTM 200, the
  # 10,000 most frequent words, batch 20, BPTT 35, SGD lr 20, clip 0.25, 2 epochs.
  "$PY" $REF split-text --inputs "$DATA"/text-corpus-medium/{austen,shakespeare,bible-kjv}.txt --every 10 --out "$WORK/lm"
  log="$WORK/lm.log"
  start=$(date +%s.%N)
  $G train lm --train "$WORK/lm/train.txt" --valid "$WORK/lm/valid.txt" --epochs 2 --threads "$THREADS" \
    --output "$WORK/lm-model" 2>"$log"
  wall=$(echo "$(date +%s.%N) - $start" | bc)
  perplexity=$(sed -n 's/.*validation perplexity \([0-9.]*\).*/\1/p' "$log" | tail -1)
  rate=$($G generate --model "$WORK/lm-model" --prompt "it is a truth" --tokens 200 --seed 1 2>&1 >/dev/null |
    sed -n 's/.* \([0-9]*\) tokens\/s/\1/p')
  echo "{\"lib\": \"glossa\", \"task\": \"lm\", \"best_valid_perplexity\": $perplexity, \"process_seconds\": $wall, \"generate_tokens_per_s\": $rate, \"threads\": $THREADS}"
  "$PY" $REF lm --train "$WORK/lm/train.txt" --valid "$WORK/lm/valid.txt" --epochs 2 --threads "$THREADS" \
    --hidden 200 --layers 2 --dropout 0.2 --lr 20 --batch-size 20
fi
if [ "$WHAT" = all ] || [ "$WHAT" = tag ]; then
  # Tagging: part of speech on a 10% validation split of the OANC sample (with and without
  # character features), entities on a 10% split of the WNUT-16 tweets (with and without a
  # CRF); BiLSTM, embedding 100, hidden 128, dropout 0.3, Adam 1e-3, batch 32.
  TAG_EPOCHS=${TAG_EPOCHS:-5}
  "$PY" $REF split-tagged --input "$DATA/pos-ptb-tagged/oanc-train.tsv" --valid-fraction 0.1 --seed 0 --out "$WORK/pos" >&2
  "$PY" $REF split-tagged --input "$DATA/ner-wnut16-tweets/train.tsv" --valid-fraction 0.1 --seed 0 --out "$WORK/ner" >&2
  for run in "pos " "pos --char-features" "ner " "ner --crf"; do
    set -- $run
    data=$1
    shift
    log="$WORK/tag-$data$*.log"
    start=$(date +%s.%N)
    $G train tag --train "$WORK/$data/train.tsv" --valid "$WORK/$data/valid.tsv" --epochs "$TAG_EPOCHS" \
      --threads "$THREADS" "$@" --output "$WORK/tagger-$data$*" 2>"$log"
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    accuracy=$(sed -n 's/^token accuracy \([0-9.]*\).*/\1/p' "$log" | tail -1)
    f1=$(sed -n 's/^entities: .* F1 \([0-9.]*\).*/\1/p' "$log" | tail -1)
    rate=$(sed -n 's/.*(\([0-9]*\) sentences\/s).*/\1/p' "$log" | tail -1)
    decode=$( { /usr/bin/time -f "%e" $G evaluate --model "$WORK/tagger-$data$*" --data "$WORK/$data/valid.tsv" >/dev/null; } 2>&1 |
      sed -n 's/^[0-9]* sentences, \([0-9]*\) sentences\/s/\1/p')
    echo "{\"lib\": \"glossa\", \"task\": \"tag\", \"data\": \"$data\", \"options\": \"$*\", \"valid_accuracy\": ${accuracy:-null}, \"entity_f1\": ${f1:-null}, \"sentences_per_s\": ${rate:-null}, \"evaluate_sentences_per_s\": ${decode:-null}, \"process_seconds\": $wall}"
    "$PY" $REF tag --train "$WORK/$data/train.tsv" --valid "$WORK/$data/valid.tsv" --epochs "$TAG_EPOCHS" --threads "$THREADS" "$@"
  done
fi
if [ "$WHAT" = all ] || [ "$WHAT" = translate ]; then
  # Translation, English to Spanish: a 10% validation split of the Bible verses of
  # parallel-en-es-bible/train-short.tsv; words (case kept), a bidirectional GRU encoder and a
  # GRU decoder of 256 units, embeddings of 256, dropout 0.2, Adam 1e-3, batch 32, clipping 1,
  # MT_EPOCHS epochs, the epoch kept by greedy validation BLEU; then beam-5 decoding of the
  # validation sources (GNMT length penalty 0.6), timed. With each attention and without.
  MT_EPOCHS=${MT_EPOCHS:-10}
  "$PY" $REF split-tsv --input "$DATA/parallel-en-es-bible/train-short.tsv" --valid-fraction 0.1 --seed 0 --out "$WORK/mt" >&2
  cut -f1 "$WORK/mt/valid.tsv" >"$WORK/mt/valid.src"
  cut -f2 "$WORK/mt/valid.tsv" >"$WORK/mt/valid.ref"
  for attention in ${MT_ATTENTION:-bahdanau luong-general none}; do
    for seed in ${SEEDS:-0}; do
      log="$WORK/translate-$attention-$seed.log"
      model="$WORK/translator-$attention-$seed"
      start=$(date +%s.%N)
      $G train translate --train "$WORK/mt/train.tsv" --valid "$WORK/mt/valid.tsv" --attention "$attention" \
        --epochs "$MT_EPOCHS" --threads "$THREADS" --seed "$seed" --output "$model" 2>"$log"
      wall=$(echo "$(date +%s.%N) - $start" | bc)
      greedy=$(sed -n 's/^validation (greedy): BLEU = \([0-9.]*\).*/\1/p' "$log" | tail -1)
      rate=$(sed -n 's/.*(\([0-9]*\) sentences\/s).*/\1/p' "$log" | tail -1)
      beam_rate=$($G translate --model "$model" --beam 5 --threads "$THREADS" <"$WORK/mt/valid.src" 2>&1 >"$WORK/mt/$attention.hyp" |
        sed -n 's/^[0-9]* sentences, \([0-9.]*\) sentences\/s/\1/p')
      beam=$("$VENV/bin/sacrebleu" "$WORK/mt/valid.ref" -i "$WORK/mt/$attention.hyp" -m bleu chrf -b | tr -d '[]\n ')
      echo "{\"lib\": \"glossa\", \"task\": \"translate\", \"attention\": \"$attention\", \"seed\": $seed, \"best_valid_bleu_greedy\": $greedy, \"beam5_bleu_chrf\": [$beam], \"train_sentences_per_s\": $rate, \"beam5_sentences_per_s\": $beam_rate, \"process_seconds\": $wall, \"threads\": $THREADS}"
      "$PY" $REF translate --train "$WORK/mt/train.tsv" --valid "$WORK/mt/valid.tsv" --attention "$attention" \
        --epochs "$MT_EPOCHS" --threads "$THREADS" --seed "$seed" --hidden 256 --embedding-dim 256 --dropout 0.2
    done
  done
fi
