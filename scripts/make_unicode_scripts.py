#!/usr/bin/env python3
"""Writes Sources/GlossaText/PreTokenizers/UnicodeScriptTable.swift: which code points HuggingFace's
`UnicodeScripts` pre-tokenizer treats as one script, read from the pre-tokenizer itself (so that
Glossa cuts exactly where it does, its own Unicode version and adjustments included: Hiragana,
Katakana and U+30FC count as Han, the space and unassigned code points as no script).

    python scripts/make_unicode_scripts.py   (HF tokenizers installed; 0.23.3 made the table)

Two code points are of one script when HF does not cut between them; a code point is of no
script when HF neither cuts around it between two Latin letters nor after Han before a Latin one.
The scripts are numbered in the order they first appear (0: none).
"""
import os
import textwrap

import tokenizers
from tokenizers import pre_tokenizers

scripts = pre_tokenizers.UnicodeScripts()


def pieces(text):
    return [piece for piece, _ in scripts.pre_tokenize_str(text)]


def of_no_script(c):
    return pieces("a" + c + "a") == ["a" + c + "a"] and pieces("あ" + c + "a") == ["あ" + c, "a"]


def together(a, b):
    return len(pieces(a + b)) == 1


representatives = []  # a code point of each script, by number − 1
runs = []  # (first code point, script)
previous = None  # the code point before, when it has a script
for code in range(0x110000):
    script = 0
    if not 0xD800 <= code <= 0xDFFF and not of_no_script(chr(code)):
        c = chr(code)
        if previous is not None and together(previous[0], c):
            script = previous[1]
        else:
            script = next((k + 1 for k, r in enumerate(representatives) if together(r, c)), 0)
            if script == 0:
                representatives.append(c)
                script = len(representatives)
    previous = (chr(code), script) if script else None
    if not runs or runs[-1][1] != script:
        runs.append((code, script))

text = " ".join(f"{start:X}:{script}" for start, script in runs)
lines = textwrap.wrap(text, 96)
swift = f"""// Made by scripts/make_unicode_scripts.py from HuggingFace tokenizers {tokenizers.__version__}'s
// UnicodeScripts pre-tokenizer ({len(runs)} runs, {len(representatives)} scripts); do not edit.

extension UnicodeScripts {{
  /// Runs of code points of one script: each run's first code point (hexadecimal) and its
  /// script (0: none; the others numbered in the order they first appear), in order.
  static let runs = \"\"\"
{chr(10).join("    " + line for line in lines)}
    \"\"\"
}}
"""
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "GlossaText",
                    "PreTokenizers", "UnicodeScriptTable.swift")
with open(path, "w", encoding="utf-8") as f:
    f.write(swift)
print(f"{len(runs)} runs, {len(representatives)} scripts")
