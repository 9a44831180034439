"""Makes split_cases.json: what HuggingFace's `Split` pre-tokenizer gives (pieces and their
offsets) for each behaviour, inverted or not, with a regular expression and with a string, and
what `Digits`, `Punctuation` (each behaviour) and `CharDelimiterSplit` give; and
a tokenizer built the way Llama-3 files are (Split with the GPT-4 pattern, ByteLevel without
its own regex, BPE with ignore_merges, "<|begin_of_text|> $A") with what its `encode` and
`decode` give. Run with HuggingFace tokenizers installed (0.23.3 made the committed file):

    python Tests/GlossaTextTests/Fixtures/make_split_cases.py
"""
import json
import os

from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, processors, trainers

TEXTS = [
    "The newest networks turn text into vectors.",
    "",
    "  two  spaces, then a tab\tand a newline\n\nx",
    "I'm sure they'll say it's 12345 or 3.14159!",
    "café, naïve, 東京, and an emoji 🙂 or two 🙂🙂!",
    "---",
]
GPT4 = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
        r"|\s*[\r\n]+|\s+(?!\S)|\s+")
PATTERNS = [{"Regex": r"\s+"}, {"Regex": r"\p{N}+"}, {"String": "-"}, {"Regex": GPT4}]
BEHAVIOURS = ["removed", "isolated", "merged_with_previous", "merged_with_next", "contiguous"]


def pattern_of(p):
    return Regex(p["Regex"]) if "Regex" in p else p["String"]


def serialized(pre_tokenizer):
    tokenizer = Tokenizer(models.WordLevel({"x": 0}, unk_token="x"))
    tokenizer.pre_tokenizer = pre_tokenizer
    return json.loads(tokenizer.to_str())["pre_tokenizer"]


def pieces(pre_tokenizer):
    return {
        "pre_tokenizer": serialized(pre_tokenizer),
        "pieces": [[[piece, list(span)] for piece, span in pre_tokenizer.pre_tokenize_str(t)] for t in TEXTS],
    }


splits = [
    pieces(pre_tokenizers.Split(pattern_of(p), behaviour, invert=invert))
    for p in PATTERNS for behaviour in BEHAVIOURS for invert in (False, True)
]
# The splits whose matches are single characters of a class.
splits += [pieces(pre_tokenizers.Digits(individual_digits=individual)) for individual in (False, True)]
splits += [pieces(pre_tokenizers.Punctuation(behaviour)) for behaviour in BEHAVIOURS]
splits += [pieces(pre_tokenizers.CharDelimiterSplit("-"))]


def llama3():
    tokenizer = Tokenizer(models.BPE(ignore_merges=True))
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(GPT4), "isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False),
    ])
    tokenizer.decoder = decoders.ByteLevel()
    corpus = [t for t in TEXTS if t] * 30
    trainer = trainers.BpeTrainer(
        vocab_size=600, special_tokens=["<|begin_of_text|>", "<|end_of_text|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator(corpus, trainer)
    bos = tokenizer.token_to_id("<|begin_of_text|>")
    tokenizer.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=False),
        processors.TemplateProcessing(single="<|begin_of_text|> $A", special_tokens=[("<|begin_of_text|>", bos)]),
    ])
    return tokenizer


tokenizer = llama3()
encodings = []
for text in TEXTS + ["unseen words: quixotic zephyrs, 987654321"]:
    e = tokenizer.encode(text)
    encodings.append({"text": text, "ids": e.ids, "tokens": e.tokens, "offsets": e.offsets,
                      "decoded": tokenizer.decode(e.ids, skip_special_tokens=True)})
cases = {"texts": TEXTS, "splits": splits,
         "llama3": {"tokenizer": json.loads(tokenizer.to_str()), "encodings": encodings}}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "split_cases.json")
with open(path, "w", encoding="utf-8") as f:
    json.dump(cases, f, ensure_ascii=False, indent=None, separators=(",", ":"))
    f.write("\n")
