#!/usr/bin/env python3
"""Writes seqeval_cases.json: random tag sequences (BIO, IOB2 and BIOES, well and badly
formed) with the entities seqeval's default mode (conlleval's rules) finds, and the micro
precision, recall and F1 of predicted against true sequences.

  pip install seqeval && python make_seqeval_cases.py
"""
import json, random
from seqeval.metrics import f1_score, precision_score, recall_score
from seqeval.metrics.sequence_labeling import get_entities

random.seed(3)
tags = ["O", "O", "O"] + [f"{p}-{t}" for p in "BIES" for t in ("PER", "LOC", "ORG")]
sequences = [[random.choice(tags) for _ in range(random.randint(1, 12))] for _ in range(300)]
cases = [{"tags": s, "entities": [[t, a, b] for t, a, b in get_entities(s)]} for s in sequences]
actual, predicted = sequences[:150], [[random.choice(tags) if random.random() < 0.3 else t for t in s]
                                      for s in sequences[:150]]
print(json.dumps({"cases": cases, "actual": actual, "predicted": predicted,
                  "precision": precision_score(actual, predicted), "recall": recall_score(actual, predicted),
                  "f1": f1_score(actual, predicted)}), file=open("seqeval_cases.json", "w"))
