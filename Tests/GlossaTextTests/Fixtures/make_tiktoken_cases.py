"""Makes small.tiktoken and tiktoken_cases.json: a byte-level BPE of 600 ranks trained here with
HuggingFace tokenizers and written as tiktoken's rank file (each token's bytes in base64 and its
rank), and what tiktoken encodes with it under GPT-2's split pattern and under cl100k's, with a
special token allowed. Run with tiktoken and HuggingFace tokenizers installed (tiktoken 0.14.0
made the committed files):

    python Tests/GlossaTextTests/Fixtures/make_tiktoken_cases.py
"""
import base64
import json
import os

import tiktoken
from tokenizers import Tokenizer, models, pre_tokenizers, trainers

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = [
    "The lecture walks from a single neuron to recurrent networks.",
    "Tokenizers turn text into ids; embeddings turn ids into vectors.",
    "low lower newest widest, and the newest of them all. It's 2024, isn't it?",
    "Ein Satz auf Deutsch, und noch einer über Bäume. 東京の天気は晴れ。",
] * 20
GPT2 = r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
CL100K = (r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$"""
          r"""|\s*[\r\n]|\s+(?!\S)|\s""")
TEXTS = ["The newest networks turn text into vectors.", "", "lowest ids,  widest embeddings!\n\n  ok",
         "It's 12345 o'clock<|endoftext|>and IT'S late", "Café 🙂 and 東京 with e\u0301 accents\tand\u0007bells",
         "   trailing spaces   ", "über Bäume\r\nnext line"]

tokenizer = Tokenizer(models.BPE())
tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
tokenizer.train_from_iterator(CORPUS, trainers.BpeTrainer(
    vocab_size=600, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False))
# GPT-2's byte ↔ character table, inverted: each token's characters back to its bytes.
printable = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
characters = printable[:] + [256 + n for n in range(256 - len(printable))]
byte_of = dict(zip(map(chr, characters), printable + [b for b in range(256) if b not in printable]))
ranks = {bytes(byte_of[c] for c in token): rank for token, rank in sorted(tokenizer.get_vocab().items(), key=lambda x: x[1])}
with open(os.path.join(HERE, "small.tiktoken"), "w") as f:
    for token, rank in sorted(ranks.items(), key=lambda x: x[1]):
        f.write(f"{base64.b64encode(token).decode()} {rank}\n")
special = {"<|endoftext|>": len(ranks)}
cases = []
for name, pattern in (("GPT-2", GPT2), ("cl100k", CL100K)):
    encoding = tiktoken.Encoding(name=name, pat_str=pattern, mergeable_ranks=ranks, special_tokens=special)
    cases.append({"name": name, "pattern": pattern, "special_tokens": special, "encodings": [
        {"text": text, "ids": encoding.encode(text, allowed_special="all"),
         "decoded": encoding.decode(encoding.encode(text, allowed_special="all"))} for text in TEXTS]})
with open(os.path.join(HERE, "tiktoken_cases.json"), "w", encoding="utf-8") as f:
    json.dump(cases, f, ensure_ascii=False, separators=(",", ":"))
    f.write("\n")
