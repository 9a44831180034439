#!/usr/bin/env python3
"""Medians and Glossa/PyTorch ratios from compare-with-torch.sh's JSON lines, as a Markdown table."""
import json, statistics, sys
from collections import defaultdict


def glossa_rows(path):
    for line in open(path):
        run = json.loads(line)
        workload = "mlp" if run["workload"].startswith("mlp") else run["workload"]
        for r in run["results"]:
            train = next(v for k, v in r.items() if k.startswith("train_") and k.endswith("_per_s") and "examples" not in k)
            infer = next(v for k, v in r.items() if k.startswith("infer"))
            yield workload, r["threads"], train, infer


def torch_rows(path):
    for line in open(path):
        run = json.loads(line)
        for r in run["results"]:
            if run.get("workload", "").startswith("mlp"):
                yield "mlp", r["threads"], r["train_steps_per_s"], r["inference_examples_per_s"]
            else:
                yield r["model"], r["threads"], r["train_per_s"]["median"], r["infer_per_s"]["median"]


def medians(rows):
    table = defaultdict(lambda: ([], []))
    for workload, threads, train, infer in rows:
        table[(workload, threads)][0].append(train)
        table[(workload, threads)][1].append(infer)
    return {k: (statistics.median(t), statistics.median(i)) for k, (t, i) in table.items()}


units = {"mlp": ("steps/s", "examples/s"), "bilstm_cls": ("sequences/s", "sequences/s")}
glossa = medians(glossa_rows(sys.argv[1] + "/glossa.jsonl"))
torch = medians(torch_rows(sys.argv[1] + "/torch.jsonl"))
print("| workload | threads | training, Glossa | PyTorch | ratio | inference, Glossa | PyTorch | ratio |")
print("|---|---|---|---|---|---|---|---|")
for key in sorted(glossa):
    if key in torch:
        (gt, gi), (tt, ti) = glossa[key], torch[key]
        train_unit, infer_unit = units.get(key[0], ("tokens/s", "tokens/s"))
        print(f"| {key[0]} | {key[1]} | {gt:,.0f} {train_unit} | {tt:,.0f} | {gt / tt:.2f}× "
              f"| {gi:,.0f} {infer_unit} | {ti:,.0f} | {gi / ti:.2f}× |")
