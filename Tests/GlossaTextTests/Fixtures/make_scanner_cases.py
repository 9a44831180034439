"""Makes scanner_cases.json: random texts over an alphabet chosen to find the corners of the
GPT-4 / Llama-3 split pattern (and Qwen2's, which takes digits one at a time), and the pieces
HuggingFace's `Split` (Oniguruma) cuts them into; and tiktoken's cl100k and GPT-2 patterns, cut
by the `regex` module (tiktoken's own dependency). Glossa's hand-written scanner for these
patterns must cut every text the same way. Run with HuggingFace tokenizers installed (0.23.3
made the committed file):

    python Tests/GlossaTextTests/Fixtures/make_scanner_cases.py
"""
import json
import os
import random

import regex

from tokenizers import Regex, pre_tokenizers

GPT4 = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
        r"|\s*[\r\n]+|\s+(?!\S)|\s+")
QWEN2 = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
         r"|\s*[\r\n]+|\s+(?!\S)|\s+")
TIKTOKEN_CL100K = (r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
                   r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s""")
TIKTOKEN_GPT2 = r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
ALPHABET = (list("aZéßſ東Ǆ") + ["'s", "'S", "'re", "'VE", "'Ll", "'d", "'m", "'t", "'x", "'", "'r", "'l", "'v", "'ſ"]
            + list("09٣½Ⅻ") + [" ", " ", " ", "  ", "\t", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x85", "\xa0",
                                 "\u2028", "\u3000"]
            + list(".,!?-_$") + ["🙂", "e\u0301", "\u0007", "\u200d"])

random.seed(7)
texts = ["", "Hello world", "I'm sure it's 12345 o'clock!\n\n  ok  ", "  \n\t x"]
for _ in range(400):
    texts.append("".join(random.choice(ALPHABET) for _ in range(random.randint(1, 24))))
cases = []
for name, pattern in (("GPT-4", GPT4), ("Qwen2", QWEN2)):
    split = pre_tokenizers.Split(Regex(pattern), behavior="isolated")
    cases.append({"name": name, "pattern": pattern,
                  "texts": [{"text": t, "pieces": [list(o) for _, o in split.pre_tokenize_str(t)]} for t in texts]})
# tiktoken's own patterns (possessive quantifiers; cl100k keeps a text's trailing whitespace whole),
# cut with the `regex` module tiktoken itself depends on.
for name, pattern in (("tiktoken cl100k", TIKTOKEN_CL100K), ("tiktoken gpt2", TIKTOKEN_GPT2)):
    cases.append({"name": name, "pattern": pattern,
                  "texts": [{"text": t, "pieces": [[m.start(), m.end()] for m in regex.finditer(pattern, t)]}
                            for t in texts]})
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scanner_cases.json")
with open(path, "w", encoding="utf-8") as f:
    json.dump(cases, f, ensure_ascii=False, indent=None, separators=(",", ":"))
    f.write("\n")
