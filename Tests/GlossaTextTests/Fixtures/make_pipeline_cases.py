"""Makes pipeline_cases.json: small tokenizers of the BERT, RoBERTa, Llama-3 and sentencepiece
families (a sentencepiece Unigram model with its `Precompiled` charsmap as T5's files carry it,
one with byte fallback and Metaspace's prepend scheme "first", a BPE with a continuing-subword
prefix, a BPE over UnicodeScripts pieces) with added tokens (special and not, single_word, lstrip, rstrip, normalized), pair
templates, truncation (each strategy, stride, either side) and padding (fixed or batch longest,
either side, a multiple), and what HuggingFace's `encode` and `encode_batch` make of single texts
and of pairs, with and without special tokens: ids, tokens, offsets, type ids, masks and the
overflowing pieces, word and sequence ids. Run with HuggingFace tokenizers and sentencepiece installed (tokenizers
0.23.3 and sentencepiece 0.2.3 made the committed file):

    python Tests/GlossaTextTests/Fixtures/make_pipeline_cases.py
"""
import json
import os
import tempfile

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2

from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

CORPUS = [
    "The lecture walks from a single neuron to recurrent networks.",
    "Tokenizers turn text into ids; embeddings turn ids into vectors.",
    "low lower newest widest, and the newest of them all.",
    "Ein Satz auf Deutsch, und noch einer über Bäume.",
] * 20
TEXTS = [
    "The newest [MASK] turn text into vectors.",
    "",
    "lowest ids,[MASK]widest embeddings!",
    "  two  spaces,  then <mask>  one ",
    "glossa and glossary: newest<|eot|>lower",
    "Café 🙂 and 東京 with e\u0301 accents\tand\u0007bells",
    "a <mask> b<mask>c <|eot|> <|eot|>",
    "ｆｕｌｌ－ｗｉｄｔｈ ﬁne ™ ①  ½ \u3000wide\u00a0nbsp\u200bzero \u2028 \x1e\x1fend",
    " 東京タワーはとても高い。Москва и ελληνικά, עברית ١٢٣ and हिन्दी ー ok",
]
PAIRS = [
    ("The newest networks", "turn text into [MASK] vectors, newest of all."),
    ("lowest ids, widest embeddings and the newest of them all", "short"),
    ("", "only the second"),
    ("only the first", ""),
    ("Café 🙂 <mask> 東京", "  spaces  <|eot|> glossa"),
]


def trained(model, trainer, normalizer=None, pre_tokenizer=None, decoder=None):
    tokenizer = Tokenizer(model)
    if normalizer is not None:
        tokenizer.normalizer = normalizer
    if pre_tokenizer is not None:
        tokenizer.pre_tokenizer = pre_tokenizer
    if decoder is not None:
        tokenizer.decoder = decoder
    tokenizer.train_from_iterator(CORPUS, trainer)
    return tokenizer


def bert():
    tokenizer = trained(
        models.WordPiece(unk_token="[UNK]"),
        trainers.WordPieceTrainer(vocab_size=150, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]),
        normalizers.BertNormalizer(lowercase=True), pre_tokenizers.BertPreTokenizer(), decoders.WordPiece())
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    # A word of the text added (normalized, so "Glossa" lowercased matches it), only as a word.
    tokenizer.add_tokens([AddedToken("glossa", single_word=True)])
    return tokenizer


def roberta():
    tokenizer = trained(
        models.BPE(),
        trainers.BpeTrainer(vocab_size=400, special_tokens=["<s>", "<pad>", "</s>", "<unk>"],
                            initial_alphabet=pre_tokenizers.ByteLevel.alphabet()),
        pre_tokenizer=pre_tokenizers.ByteLevel(add_prefix_space=False), decoder=decoders.ByteLevel())
    tokenizer.add_special_tokens([AddedToken("<mask>", lstrip=True, normalized=False)])
    bos, eos = tokenizer.token_to_id("<s>"), tokenizer.token_to_id("</s>")
    tokenizer.post_processor = processors.RobertaProcessing(("</s>", eos), ("<s>", bos))
    return tokenizer


def llama3():
    tokenizer = trained(
        models.BPE(ignore_merges=True),
        trainers.BpeTrainer(vocab_size=400, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()),
        pre_tokenizer=pre_tokenizers.Sequence([
            pre_tokenizers.Split(
                pattern=__import__("tokenizers").Regex(
                    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                    r"|\s*[\r\n]+|\s+(?!\S)|\s+"),
                behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)]),
        decoder=decoders.ByteLevel())
    tokenizer.add_special_tokens(["<|begin_of_text|>", "<|eot|>"])
    tokenizer.add_tokens([AddedToken("glossa", rstrip=True, normalized=False)])
    bot = tokenizer.token_to_id("<|begin_of_text|>")
    tokenizer.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=False),
        processors.TemplateProcessing(
            single="<|begin_of_text|> $A", pair="<|begin_of_text|> $A <|begin_of_text|>:1 $B:1",
            special_tokens=[("<|begin_of_text|>", bot)])])
    return tokenizer


def sentencepiece():
    tokenizer = trained(
        models.BPE(unk_token="<unk>", byte_fallback=True, fuse_unk=True),
        trainers.BpeTrainer(vocab_size=300, special_tokens=["<unk>", "<s>", "</s>"]
                            + [f"<0x{b:02X}>" for b in range(256)]),
        normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")]), None,
        decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(),
                           decoders.Strip(content=" ", left=1)]))
    # Added tokens split the text before normalization: each piece gets its own "▁".
    tokenizer.add_special_tokens([AddedToken("<mask>", normalized=False), AddedToken("[MASK]", rstrip=True)])
    bos = tokenizer.token_to_id("<s>")
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A", pair="<s> $A <s>:1 $B:1", special_tokens=[("<s>", bos)])
    return tokenizer


def sentencepiece_unigram(**options):
    """The pieces, scores and charsmap of a sentencepiece Unigram model trained on CORPUS."""
    with tempfile.TemporaryDirectory() as folder:
        corpus = os.path.join(folder, "corpus.txt")
        with open(corpus, "w", encoding="utf-8") as f:
            f.write("\n".join(CORPUS) + "\n")
        prefix = os.path.join(folder, "model")
        spm.SentencePieceTrainer.train(
            input=corpus, model_prefix=prefix, model_type="unigram", hard_vocab_limit=False,
            minloglevel=2, **options)
        proto = sentencepiece_model_pb2.ModelProto()
        with open(prefix + ".model", "rb") as f:
            proto.ParseFromString(f.read())
    vocab = [(piece.piece, piece.score) for piece in proto.pieces]
    return vocab, proto.trainer_spec.unk_id, proto.normalizer_spec.precompiled_charsmap


def t5():
    """Unigram with sentencepiece's nmt_nfkc charsmap, as T5's converted files are built."""
    vocab, unk_id, charsmap = sentencepiece_unigram(vocab_size=120, normalization_rule_name="nmt_nfkc")
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id, False))
    tokenizer.normalizer = normalizers.Sequence([
        normalizers.Precompiled(charsmap), normalizers.Replace(__import__("tokenizers").Regex(" {2,}"), " ")])
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")])
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.add_special_tokens(["</s>", "<unk>", AddedToken("<mask>", lstrip=True)])
    eos = tokenizer.token_to_id("</s>")
    tokenizer.post_processor = processors.TemplateProcessing(
        single="$A </s>", pair="$A </s> $B </s>", special_tokens=[("</s>", eos)])
    return tokenizer


def unigram_byte_fallback():
    """Unigram with byte fallback, no normalizer, Metaspace prepending only at the text's start."""
    vocab, unk_id, _ = sentencepiece_unigram(
        vocab_size=400, byte_fallback=True, normalization_rule_name="identity")
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id, True))
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first")
    tokenizer.decoder = decoders.Sequence([
        decoders.ByteFallback(), decoders.Metaspace(replacement="▁", prepend_scheme="first")])
    tokenizer.add_special_tokens(["<s>", "</s>", AddedToken("<mask>", normalized=False)])
    bos = tokenizer.token_to_id("<s>")
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A", pair="<s> $A <s>:1 $B:1", special_tokens=[("<s>", bos)])
    return tokenizer


def bpe_continuing_prefix():
    """BPE whose non-initial symbols carry "##" (merges like "a ##b" → "ab"), WordPiece's decoder."""
    return trained(
        models.BPE(unk_token="[UNK]", continuing_subword_prefix="##"),
        trainers.BpeTrainer(vocab_size=200, special_tokens=["[UNK]"], continuing_subword_prefix="##"),
        normalizers.Lowercase(), pre_tokenizers.Whitespace(), decoders.WordPiece(prefix="##"))


def unicode_scripts():
    """BPE over pieces of one script each (UnicodeScripts), NFKC first."""
    return trained(
        models.BPE(unk_token="[UNK]"), trainers.BpeTrainer(vocab_size=200, special_tokens=["[UNK]"]),
        normalizers.NFKC(), pre_tokenizers.UnicodeScripts())


def encoding_json(e, with_overflowing=True):
    result = {"ids": e.ids, "tokens": e.tokens, "offsets": e.offsets, "type_ids": e.type_ids,
              "special_tokens_mask": e.special_tokens_mask, "attention_mask": e.attention_mask,
              "word_ids": e.word_ids, "sequence_ids": e.sequence_ids}
    if with_overflowing:
        result["overflowing"] = [encoding_json(o, False) for o in e.overflowing]
    return result


def case(name, tokenizer, padded_batches=True):
    encodings = []
    for add in (True, False):
        for text in TEXTS:
            try:
                e = tokenizer.encode(text, add_special_tokens=add)
            except BaseException as error:  # noqa: B036 (a Rust panic)
                encodings.append({"text": text, "add_special_tokens": add, "error": str(error).splitlines()[0]})
                continue
            entry = {"text": text, "add_special_tokens": add, **encoding_json(e)}
            entry["decoded"] = tokenizer.decode(e.ids)
            encodings.append(entry)
        for a, b in PAIRS:
            try:
                e = tokenizer.encode(a, b, add_special_tokens=add)
            except BaseException as error:  # noqa: B036 (a Rust panic)  # HF refuses some truncations: the fixture says so
                encodings.append({"text": a, "pair": b, "add_special_tokens": add, "error": str(error).splitlines()[0]})
                continue
            encodings.append({"text": a, "pair": b, "add_special_tokens": add, **encoding_json(e)})
    batches = []
    if padded_batches:
        for inputs in (TEXTS, PAIRS):
            try:
                batch = tokenizer.encode_batch(inputs)
            except BaseException as error:  # noqa: B036 (a Rust panic)
                batches.append({"inputs": inputs, "error": str(error).splitlines()[0]})
                continue
            batches.append({"inputs": inputs, "encodings": [encoding_json(e) for e in batch]})
    return {"name": name, "tokenizer": json.loads(tokenizer.to_str()), "encodings": encodings, "batches": batches}


cases = []
tokenizer = bert()
cases.append(case("BERT-like, no truncation", tokenizer))
tokenizer.enable_truncation(max_length=12, stride=2)
tokenizer.enable_padding(pad_id=tokenizer.token_to_id("[PAD]"), pad_token="[PAD]")
cases.append(case("BERT-like, longest_first 12 stride 2, padded to the longest", tokenizer))
tokenizer.enable_truncation(max_length=10, strategy="only_second", direction="left")
tokenizer.enable_padding(pad_id=0, pad_token="[PAD]", pad_type_id=1, length=None, pad_to_multiple_of=8,
                         direction="left")
cases.append(case("BERT-like, only_second 10 from the left, padded left to a multiple of 8", tokenizer))
tokenizer.enable_truncation(max_length=9, strategy="only_first", stride=1)
tokenizer.enable_padding(pad_id=0, pad_token="[PAD]", length=14)
cases.append(case("BERT-like, only_first 9 stride 1, padded to 14", tokenizer))
tokenizer = roberta()
cases.append(case("RoBERTa-like, <mask> stripping left", tokenizer))
tokenizer.enable_truncation(max_length=8, stride=3, direction="left")
cases.append(case("RoBERTa-like, longest_first 8 stride 3 from the left", tokenizer))
tokenizer = llama3()
cases.append(case("Llama-3-like, special tokens, glossa stripping right", tokenizer))
tokenizer = sentencepiece()
cases.append(case("sentencepiece-like, Prepend per piece between added tokens", tokenizer))
tokenizer.enable_truncation(max_length=6)
tokenizer.enable_padding(pad_id=0, pad_token="<unk>", length=6)
cases.append(case("sentencepiece-like, truncated and padded to 6", tokenizer))

cases.append(case("T5-like, Unigram with a Precompiled charsmap", t5()))
cases.append(case("Unigram with byte fallback, Metaspace prepending first", unigram_byte_fallback()))
cases.append(case("BPE with a continuing-subword prefix", bpe_continuing_prefix(), padded_batches=False))
cases.append(case("BPE over UnicodeScripts pieces", unicode_scripts(), padded_batches=False))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pipeline_cases.json")
with open(path, "w", encoding="utf-8") as f:
    json.dump(cases, f, ensure_ascii=False, indent=None, separators=(",", ":"))
    f.write("\n")
