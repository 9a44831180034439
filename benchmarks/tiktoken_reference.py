#!/usr/bin/env python3
"""tiktoken's `encode_ordinary_batch` on every line of a corpus with a `.tiktoken` rank file and a
split pattern: the reference for `glossa tokenize --tokenizer FILE.tiktoken --ids`
(docs/benchmarks.md).

    python benchmarks/tiktoken_reference.py RANKS.tiktoken gpt2|cl100k CORPUS [--threads N] [--ids OUT]

Prints one JSON line: the seconds the encoding took (reading the corpus and loading the ranks
are not counted), MB/s, and the number of tokens; with --ids, writes each line's ids separated
by spaces, as `glossa tokenize --ids` does.
"""
import argparse
import json
import os
import time

import tiktoken
import tiktoken.load

PATTERNS = {
    "gpt2": r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""",
    "cl100k": r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$"""
              r"""|\s*[\r\n]|\s+(?!\S)|\s""",
}
parser = argparse.ArgumentParser()
parser.add_argument("ranks")
parser.add_argument("pattern", choices=sorted(PATTERNS))
parser.add_argument("corpus")
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--ids")
arguments = parser.parse_args()
encoding = tiktoken.Encoding(name="reference", pat_str=PATTERNS[arguments.pattern],
                             mergeable_ranks=tiktoken.load.load_tiktoken_bpe(arguments.ranks), special_tokens={})
with open(arguments.corpus, encoding="utf-8") as f:
    lines = f.read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
encoding.encode_ordinary_batch(lines[:1000], num_threads=arguments.threads)
start = time.perf_counter()
ids = encoding.encode_ordinary_batch(lines, num_threads=arguments.threads)
seconds = time.perf_counter() - start
size = os.path.getsize(arguments.corpus)
print(json.dumps({"seconds": round(seconds, 3), "mb_per_s": round(size / 1e6 / seconds, 2),
                  "tokens": sum(map(len, ids)), "threads": arguments.threads}))
if arguments.ids:
    with open(arguments.ids, "w") as out:
        for line in ids:
            out.write(" ".join(map(str, line)) + "\n")
