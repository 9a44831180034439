#!/usr/bin/env bash
# The MLP training-step benchmark side by side with PyTorch, in one run, with ratios.
#   benchmarks/mlp-vs-torch.sh VENV [SECONDS] [ROUNDS]
# VENV: a Python virtual environment with torch (see ../shared/peers/README.md).
# Alternates Glossa and PyTorch ROUNDS times (default 3) and reports the medians.
set -euo pipefail
VENV=${1:?usage: mlp-vs-torch.sh VENV [SECONDS] [ROUNDS]}
SECONDS_EACH=${2:-4}
ROUNDS=${3:-3}
cd "$(dirname "$0")/.."
PEERS=${GLOSSA_PEERS:-../shared/peers}
swift build -c release --product GlossaBench >&2
OUT=$(mktemp -d)
for round in $(seq "$ROUNDS"); do
  .build/release/GlossaBench mlp --seconds "$SECONDS_EACH" >> "$OUT/glossa.jsonl"
  "$VENV/bin/python" "$PEERS/mlp.py" --seconds "$SECONDS_EACH" >> "$OUT/torch.jsonl"
  echo "round $round done" >&2
done
python3 - "$OUT" <<'PY'
import json, statistics, sys
def medians(path):
    runs = [json.loads(line) for line in open(path)]
    by = {}
    for run in runs:
        for r in run["results"]:
            by.setdefault(r["threads"], {}).setdefault("train", []).append(r["train_steps_per_s"])
            by[r["threads"]].setdefault("infer", []).append(r["inference_examples_per_s"])
    return {t: {k: statistics.median(v) for k, v in d.items()} for t, d in by.items()}, runs[0]["library"]
glossa, _ = medians(sys.argv[1] + "/glossa.jsonl")
torch, version = medians(sys.argv[1] + "/torch.jsonl")
print(f"MLP 784-256-10, batch 64, SGD: Glossa vs {version} (medians)")
print("threads  glossa steps/s  torch steps/s  ratio   glossa infer ex/s  torch infer ex/s  ratio")
for t in sorted(glossa):
    g, p = glossa[t], torch[t]
    print(f"{t:7d}  {g['train']:14.0f}  {p['train']:13.0f}  {g['train']/p['train']:5.2f}x  "
          f"{g['infer']:17.0f}  {p['infer']:16.0f}  {g['infer']/p['infer']:5.2f}x")
bg = max(v["train"] for v in glossa.values()); bt = max(v["train"] for v in torch.values())
print(f"best of thread counts: {bg:.0f} vs {bt:.0f} steps/s = {bg/bt:.2f}x")
PY
