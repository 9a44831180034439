#!/usr/bin/env bash
# Remakes the seed corpora in Fuzz/Corpus/TARGET: small valid files of every kind, made with the
# glossa command line, taken from the test fixtures or written here byte by byte (the malformed
# seeds are the command-line tests' files, Tests/GlossaCLITests/Malformed/TARGET).
# Usage: Fuzz/make-seeds.sh [path to a built glossa, default ../.build/release/glossa]
set -euo pipefail
cd "$(dirname "$0")"
glossa="$(cd .. && realpath "${1:-.build/release/glossa}")"
fixtures=../Tests/GlossaModelsTests/Fixtures
corpus=Corpus
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rm -rf "$corpus"
mkdir -p "$corpus"/{safetensors,tokenizer-json,gpt2-bpe,matrix-market,vectors,embedding-file,labeled-text}
mkdir -p "$corpus"/{tagged-sentences,parallel-text,csv,speech-manifest,wav,model-config,checkpoint,text,tiktoken}
head -c 6000 "$fixtures/austen.txt" > "$work/text.txt"

# Tokenizers of every model, trained on a few lines.
for model in bpe byte-bpe wordpiece unigram wordlevel; do
  "$glossa" tokenizer train --model "$model" --vocab-size 120 --special '[CLS]' --special '[SEP]' \
    --output "$corpus/tokenizer-json/$model.json" "$work/text.txt" 2>/dev/null
done

# GPT-2's two files, joined by a NUL byte.
{
  printf '{"h":0,"e":1,"l":2,"o":3,"he":4,"ll":5,"hell":6,"hello":7,"\xc4\xa0":8,"\xc4\xa0w":9}'
  printf '\0#version: 0.2\nh e\nl l\nhe ll\nhell o\n\xc4\xa0 w\n'
} > "$corpus/gpt2-bpe/small"
printf '{"a":0}\0a b c\n' > "$corpus/gpt2-bpe/three-symbols"

# tiktoken rank files: the test fixture's, three ranks, a rank that is not a number.
cp ../Tests/GlossaTextTests/Fixtures/small.tiktoken "$corpus/tiktoken/small"
printf 'IQ== 0\nIg== 1\nISI= 2\n' > "$corpus/tiktoken/three"
printf 'IQ== 0\nIg== x\n' > "$corpus/tiktoken/bad-rank"

# Vectors in every format, a Word2Vec and a FastText model.
"$glossa" embed train --dim 3 --min-count 3 --epochs 1 --format text --output "$corpus/vectors/text.vec" \
  --save-model "$work/word2vec.safetensors" "$work/text.txt" 2>/dev/null
head -c 300 "$corpus/vectors/text.vec" > "$corpus/vectors/truncated.vec"
"$glossa" embed train --dim 3 --min-count 8 --epochs 1 --format binary --output "$corpus/vectors/binary.bin" \
  "$work/text.txt" 2>/dev/null
"$glossa" embed train --dim 3 --min-count 8 --epochs 1 --format glove --output "$corpus/vectors/glove.txt" \
  "$work/text.txt" 2>/dev/null
"$glossa" embed train --dim 2 --min-count 20 --epochs 1 --output "$work/unused.bin" \
  --save-model "$corpus/embedding-file/word2vec.safetensors" "$work/text.txt" 2>/dev/null
"$glossa" embed train --model fasttext --dim 2 --min-count 20 --epochs 1 --buckets 50 --output "$work/unused.bin" \
  --save-model "$corpus/embedding-file/fasttext.safetensors" "$work/text.txt" 2>/dev/null
cp "$corpus/vectors/glove.txt" "$corpus/embedding-file/"

# safetensors: the models above, and one of every dtype written by hand.
cp "$corpus/embedding-file/"*.safetensors "$corpus/safetensors/"
header='{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"h":{"dtype":"F16","shape":[2],"data_offsets":[16,20]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[20,22]},"i":{"dtype":"I64","shape":[1],"data_offsets":[22,30]}}'
{
  printf "$(printf '\\x%02x' $((${#header} & 255)) $((${#header} >> 8)) 0 0 0 0 0 0)"
  printf '%s' "$header"
  head -c 30 "$work/text.txt"
} > "$corpus/safetensors/dtypes.safetensors"

# Matrix Market, from the command line.
printf 'the cat sat\nthe dog sat down\n' > "$work/docs.txt"
"$glossa" vectorize --method tfidf --output "$corpus/matrix-market/tfidf.mtx" "$work/docs.txt" >/dev/null 2>&1

# GlossaData's readers, from the test fixtures.
head -n 12 "$fixtures/sentiment.tsv" > "$corpus/labeled-text/sentiment.tsv"
head -n 40 "$fixtures/pos.tsv" > "$corpus/tagged-sentences/pos.tsv"
head -n 40 "$fixtures/ner.tsv" > "$corpus/tagged-sentences/ner.tsv"
head -n 10 "$fixtures/en-es.tsv" > "$corpus/parallel-text/en-es.tsv"
head -n 12 "$fixtures/stocks.csv" > "$corpus/csv/stocks.csv"
printf 'clips/one.wav\thello world\nclips/two.wav\tgood morning\n' > "$corpus/speech-manifest/manifest.tsv"

# WAV: the audio tests' clips of every sample format. Text: CRLF and LF lines, a blank one, UTF-8.
cp ../Tests/GlossaAudioTests/Fixtures/*.wav "$corpus/wav/"
printf 'It is a truth universally acknowledged.\r\nA second line\n\nna\xc3\xafve caf\xc3\xa9\n' > "$corpus/text/lines.txt"

# Small models of every task but speech (which needs audio), trained for an epoch: their
# config.json and their checkpoint's trainer.json are seeds.
small=(--epochs 1 --embedding-dim 4 --hidden 4 --batch-size 4)
"$glossa" train classify "${small[@]}" --vocab-size 200 --train "$fixtures/sentiment.tsv" --output "$work/classify"
"$glossa" train lm "${small[@]}" --layers 1 --vocab-size 200 --train "$work/text.txt" --valid "$work/text.txt" --output "$work/lm"
"$glossa" train tag "${small[@]}" --min-frequency 3 --train "$fixtures/pos.tsv" --output "$work/tag"
"$glossa" train forecast --epochs 1 --hidden 4 --target Close --filter Ticker=AAPL --window 5 --train "$fixtures/stocks.csv" --output "$work/forecast"
head -n 200 "$fixtures/en-es.tsv" > "$work/pairs.tsv"
"$glossa" train translate "${small[@]}" --vocab-size 200 --train "$work/pairs.tsv" --output "$work/translate"
# The model directories themselves, less their config.json and trainer.json, go to Models/TASK:
# the model-config and checkpoint targets put the fuzzed file beside their other files.
rm -rf Models
for command in classify:text-classification lm:language-model tag:sequence-tagging forecast:forecasting \
  translate:translation; do
  name="${command%%:*}" task="${command#*:}"
  cp "$work/$name/config.json" "$corpus/model-config/$name.json"
  cp "$work/$name/checkpoint/trainer.json" "$corpus/checkpoint/$name.json"
  mkdir -p "Models/$task/checkpoint"
  cp "$work/$name"/*.json "$work/$name"/*.safetensors "Models/$task/"
  cp "$work/$name"/checkpoint/*.safetensors "Models/$task/checkpoint/"
  rm "Models/$task/config.json"
done
echo "seeds: $(find "$corpus" -type f | wc -l) files, $(du -sh "$corpus" | cut -f1)" >&2
