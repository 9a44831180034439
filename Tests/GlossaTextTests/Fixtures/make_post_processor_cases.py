"""Makes post_processor_cases.json: small tokenizers with each kind of `post_processor`
HuggingFace writes, and what HuggingFace's `encode` (special tokens added, its default) gives
for a few texts. Run with HuggingFace tokenizers installed (0.23.3 made the committed file):

    python Tests/GlossaTextTests/Fixtures/make_post_processor_cases.py
"""
import json
import os

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

CORPUS = [
    "The lecture walks from a single neuron to recurrent networks.",
    "Tokenizers turn text into ids; embeddings turn ids into vectors.",
    "low lower newest widest, and the newest of them all.",
] * 20
TEXTS = ["The newest networks turn text into vectors.", "", "lowest ids, widest embeddings!",
         "  two  spaces,  then one "]


def wordpiece():
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.decoder = decoders.WordPiece()
    trainer = trainers.WordPieceTrainer(vocab_size=120, special_tokens=["[UNK]", "[CLS]", "[SEP]", "[PAD]"])
    tokenizer.train_from_iterator(CORPUS, trainer)
    return tokenizer


def byte_level():
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400, special_tokens=["<s>", "</s>", "<pad>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator(CORPUS, trainer)
    return tokenizer


def case(name, tokenizer):
    return {
        "name": name,
        "tokenizer": json.loads(tokenizer.to_str()),
        "encodings": [
            {"text": text, "ids": e.ids, "tokens": e.tokens, "offsets": e.offsets,
             "special_tokens_mask": e.special_tokens_mask}
            for text, e in ((text, tokenizer.encode(text)) for text in TEXTS)
        ],
    }


cases = []
bert = wordpiece()
cls, sep = bert.token_to_id("[CLS]"), bert.token_to_id("[SEP]")
bert.post_processor = processors.BertProcessing(("[SEP]", sep), ("[CLS]", cls))
cases.append(case("BertProcessing", bert))
bert.post_processor = processors.TemplateProcessing(
    single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
cases.append(case("TemplateProcessing", bert))
bert.post_processor = processors.TemplateProcessing(single="$A [SEP]", special_tokens=[("[SEP]", sep)])
cases.append(case("TemplateProcessing, end only", bert))
roberta = byte_level()
bos, eos = roberta.token_to_id("<s>"), roberta.token_to_id("</s>")
roberta.post_processor = processors.RobertaProcessing(("</s>", eos), ("<s>", bos), trim_offsets=False)
cases.append(case("RobertaProcessing", roberta))
roberta.post_processor = processors.Sequence([
    processors.ByteLevel(trim_offsets=False),
    processors.TemplateProcessing(single="<s> $A", special_tokens=[("<s>", bos)]),
])
cases.append(case("Sequence of ByteLevel and TemplateProcessing", roberta))
roberta.post_processor = processors.ByteLevel(trim_offsets=False)
cases.append(case("ByteLevel", roberta))
# Offsets trimmed of the spaces at each token's ends (RoBERTa's defaults, and ByteLevel's).
roberta.post_processor = processors.RobertaProcessing(("</s>", eos), ("<s>", bos))
cases.append(case("RobertaProcessing, offsets trimmed", roberta))
roberta.post_processor = processors.Sequence([
    processors.ByteLevel(trim_offsets=True, add_prefix_space=False),
    processors.TemplateProcessing(single="<s> $A", special_tokens=[("<s>", bos)]),
])
cases.append(case("Sequence of ByteLevel trimming offsets and TemplateProcessing", roberta))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "post_processor_cases.json")
with open(path, "w", encoding="utf-8") as f:
    json.dump(cases, f, ensure_ascii=False, indent=None, separators=(",", ":"))
    f.write("\n")
