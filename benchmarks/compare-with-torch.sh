#!/usr/bin/env bash
# Glossa's benchmarks side by side with PyTorch's (../shared/peers), alternating in one
# run, with medians and ratios.
#   benchmarks/compare-with-torch.sh VENV [WORKLOADS] [SECONDS] [ROUNDS]
# VENV: a Python virtual environment with torch (see ../shared/peers/README.md).
# WORKLOADS: comma-separated, from mlp,lstm2,gru1,rnn1,bilstm_cls (default: all five).
set -euo pipefail
VENV=${1:?usage: compare-with-torch.sh VENV [WORKLOADS] [SECONDS] [ROUNDS]}
WORKLOADS=${2:-mlp,lstm2,gru1,rnn1,bilstm_cls}
SECONDS_EACH=${3:-4}
ROUNDS=${4:-3}
cd "$(dirname "$0")/.."
PEERS=${GLOSSA_PEERS:-../shared/peers}
swift build -c release --product GlossaBench >&2
OUT=$(mktemp -d)
for round in $(seq "$ROUNDS"); do
  for workload in ${WORKLOADS//,/ }; do
    .build/release/GlossaBench "$workload" --seconds "$SECONDS_EACH" >> "$OUT/glossa.jsonl"
    if [ "$workload" = mlp ]; then
      "$VENV/bin/python" "$PEERS/mlp.py" --seconds "$SECONDS_EACH" >> "$OUT/torch.jsonl"
    else
      "$VENV/bin/python" "$PEERS/lstm.py" --models "$workload" --repeats 1 --seconds "$SECONDS_EACH" \
        >> "$OUT/torch.jsonl" 2>/dev/null
    fi
    echo "round $round: $workload done" >&2
  done
done
python3 benchmarks/summarize.py "$OUT"
