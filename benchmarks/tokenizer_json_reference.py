#!/usr/bin/env python3
"""HuggingFace tokenizers' `encode_batch` on every line of a corpus with a tokenizer.json: the
reference for `glossa tokenize --tokenizer FILE --ids` (docs/benchmarks.md).

    RAYON_NUM_THREADS=1 python benchmarks/tokenizer_json_reference.py FILE CORPUS [--ids OUT]

Prints one JSON line: the seconds `encode_batch` took (reading the file and loading the
tokenizer are not counted), MB/s of the corpus, and the number of tokens. With --ids, writes
each line's ids separated by spaces, as `glossa tokenize --ids` does, to compare the outputs.
"""
import argparse
import json
import os
import time

from tokenizers import Tokenizer

parser = argparse.ArgumentParser()
parser.add_argument("tokenizer")
parser.add_argument("corpus")
parser.add_argument("--ids")
arguments = parser.parse_args()
tokenizer = Tokenizer.from_file(arguments.tokenizer)
with open(arguments.corpus, encoding="utf-8") as f:
    lines = f.read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
tokenizer.encode_batch(lines[:1000])  # warm up the threads and the cache's allocation
start = time.perf_counter()
encodings = tokenizer.encode_batch(lines)
seconds = time.perf_counter() - start
size = os.path.getsize(arguments.corpus)
print(json.dumps({"seconds": round(seconds, 3), "mb_per_s": round(size / 1e6 / seconds, 2),
                  "tokens": sum(len(e.ids) for e in encodings),
                  "threads": os.environ.get("RAYON_NUM_THREADS", "all")}))
if arguments.ids:
    with open(arguments.ids, "w") as out:
        for e in encodings:
            out.write(" ".join(map(str, e.ids)) + "\n")
