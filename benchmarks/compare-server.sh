#!/usr/bin/env bash
# Load on loopback: glossa-server against the same endpoints in Python (FastAPI + uvicorn over
# HuggingFace tokenizers and PyTorch, benchmarks/server_reference.py), in one run.
#
#   benchmarks/compare-server.sh VENV WORK MODELS [SECONDS] [SOAK_SECONDS]
#
# VENV has fastapi, uvicorn[standard], tokenizers, torch and safetensors; MODELS is a folder
# with the austen-lm model directory (glossa demo writes glossa-demo/models). Trains a WordPiece
# tokenizer on the demo's Austen text, then measures, one server at a time:
#   /v1/tokenize with wrk (2 threads, 32 connections, SECONDS, a review line per request);
#   16 and 1 concurrent streamed generations of 100 tokens (wrk -c16 and -c1, 30 s; tokens per
#   second = requests per second × 100);
#   each server's resident memory after each phase.
# With SOAK_SECONDS, then loads glossa-server alone that long with both at once (/v1/tokenize as
# above and 16 generation streams), reading its memory every 30 s.
set -euo pipefail
VENV=$1 WORK=$2 MODELS=$3 DURATION=${4:-60} SOAK=${5:-0}
cd "$(dirname "$0")/.."
ROOT=$PWD
swift build -c release --product glossa-server >/dev/null
swift build -c release --product glossa >/dev/null
mkdir -p "$WORK/served"
rm -rf "$WORK/served/austen-lm" && cp -r "$MODELS/austen-lm" "$WORK/served/"
.build/release/glossa tokenizer train --model wordpiece --vocab-size 8000 --lowercase \
  --output "$WORK/served/wordpiece.tokenizer.json" Sources/glossa/Demo/DemoData/austen.txt >/dev/null 2>&1
head -2000 "${GLOSSA_DATA:-../shared/data}/sentiment-rt-snippets/train.tsv" | cut -f2 > "$WORK/texts.txt"

.build/release/glossa-server --models "$WORK/served" --port 8090 --threads 2 > "$WORK/glossa-server.log" 2>&1 &
GLOSSA=$!
"$VENV/bin/python" benchmarks/server_reference.py --tokenizer "$WORK/served/wordpiece.tokenizer.json" \
  --lm "$WORK/served/austen-lm" --port 8091 --threads 2 > "$WORK/reference.log" 2>&1 &
REFERENCE=$!
trap 'kill $GLOSSA $REFERENCE 2>/dev/null || true' EXIT
for port in 8090 8091; do
  for _ in $(seq 60); do curl -sf -o /dev/null -X POST "http://127.0.0.1:$port/v1/tokenize" \
    -H 'Content-Type: application/json' -d '{"model":"wordpiece","texts":["warm up"]}' && break; sleep 1; done
done
rss() { echo "$(($(ps -o rss= -p "$1") / 1024)) MB"; }
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
for pair in "glossa-server 8090 $GLOSSA" "fastapi 8091 $REFERENCE"; do
  set -- $pair
  echo "== $1: /v1/tokenize, wrk -t2 -c32 -d${DURATION}s"
  MODEL=wordpiece TEXTS="$WORK/texts.txt" wrk -t2 -c32 -d"${DURATION}s" --latency \
    -s benchmarks/wrk-tokenize.lua "http://127.0.0.1:$2" | tee "$WORK/wrk-$1.txt"
  echo "$1 memory after tokenize: $(rss "$3")"
  for streams in 16 1; do
    echo "== $1: $streams streams of 100 tokens"
    MODEL=austen-lm TOKENS=100 wrk -t1 -c$streams -d30s --latency -s benchmarks/wrk-generate.lua \
      "http://127.0.0.1:$2" | grep -E "Latency |99%|requests in|Non-2xx|Socket errors|Requests/sec"
  done
  echo "$1 memory after generation: $(rss "$3")"
done
if [ "$SOAK" -gt 0 ]; then
  echo "== glossa-server soak: /v1/tokenize (wrk -t2 -c32) and 16 streams for ${SOAK}s, memory every 30 s"
  MODEL=wordpiece TEXTS="$WORK/texts.txt" wrk -t2 -c32 -d"${SOAK}s" --latency \
    -s benchmarks/wrk-tokenize.lua "http://127.0.0.1:8090" > "$WORK/wrk-soak.txt" &
  LOAD=$!
  MODEL=austen-lm TOKENS=100 wrk -t1 -c16 -d"${SOAK}s" --latency -s benchmarks/wrk-generate.lua \
    "http://127.0.0.1:8090" > "$WORK/wrk-soak-generate.txt" &
  STREAMS=$!
  while kill -0 $LOAD 2>/dev/null; do echo "$(date +%T) $(rss $GLOSSA)"; sleep 30; done
  wait $STREAMS
  cat "$WORK/wrk-soak.txt" "$WORK/wrk-soak-generate.txt"
fi
