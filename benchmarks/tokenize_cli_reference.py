"""The job of `glossa tokenize` (the lecture's words) in Python, as a whole process: each line
of standard input, its \\b\\w+\\b words joined by single spaces, one output line per input line
(line by line: faster here than reading the whole input first).

    python benchmarks/tokenize_cli_reference.py < CORPUS > OUT
"""
import re
import sys

findall = re.compile(r"\b\w+\b").findall
write = sys.stdout.write
for line in sys.stdin:
    write(" ".join(findall(line)) + "\n")
