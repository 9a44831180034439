#!/usr/bin/env bash
# Synthesises a speech corpus with espeak-ng and sox, since none can be downloaded here: each
# utterance is a text spoken by one voice (an espeak-ng language and variant) at a speed and
# pitch drawn from a seeded generator, resampled to 16 kHz mono 16-bit, with white noise mixed
# in at a random level when --noise is given. Writes OUT/wav/*.wav and the manifests
# OUT/train.tsv, OUT/valid.tsv and OUT/test.tsv (path<TAB>transcript, paths relative to OUT).
# The split is by voice and by text: the validation and test voices are never heard in
# training, and no text of the validation or test set is in the training set.
#
#   scripts/make-speech-corpus.sh [--digits N] [--sentences FILE] [--count N] [--noise] [--seed N] OUT
#
# --digits N (default): N utterances of 3–7 spoken digits ("three one four"); --sentences FILE:
# N utterances of the lines of FILE (lowercased, letters, digits spelled out, apostrophes and
# spaces kept), each line at most 60 characters. Needs espeak-ng and sox
# (scripts/setup.sh --speech installs them).
set -euo pipefail
count=1500
mode=digits
sentences=""
noise=0
seed=1
while [ $# -gt 1 ]; do
  case "$1" in
    --digits) mode=digits; count=$2; shift 2 ;;
    --sentences) mode=sentences; sentences=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --noise) noise=1; shift ;;
    --seed) seed=$2; shift 2 ;;
    *) echo "make-speech-corpus: unknown option $1" >&2; exit 2 ;;
  esac
done
out=${1:?usage: make-speech-corpus.sh [--digits N] [--sentences FILE] [--count N] [--noise] [--seed N] OUT}
for tool in espeak-ng sox; do
  command -v $tool >/dev/null || { echo "make-speech-corpus: $tool is missing (scripts/setup.sh --speech)" >&2; exit 1; }
done
mkdir -p "$out/wav"
RANDOM=$seed
# Voices: an accent and a variant (pitch, formants, breathiness) each; no voice of one split
# is in another, and the test voices' variants are not among the training voices' variants.
train_voices=()
for accent in en-us en-gb en-gb-scotland en-gb-x-rp en-029 en-us-nyc; do
  for variant in m1 m2 m3 m4 f1 f2 f3; do train_voices+=("$accent+$variant"); done
done
valid_voices=(en-gb-x-gbclan+m5 en-gb-x-gbclan+f4)
test_voices=(en-us+f5 en-gb-x-gbcwmd+m7 en-gb-x-gbclan+m6)
digit_names=(zero one two three four five six seven eight nine)

# The texts: digit strings drawn from the seed, or the short lines of a file.
texts=()
if [ "$mode" = digits ]; then
  for ((i = 0; i < count; i++)); do
    n=$((3 + RANDOM % 5))
    words=()
    for ((k = 0; k < n; k++)); do words+=("${digit_names[RANDOM % 10]}"); done
    texts+=("${words[*]}")
  done
else
  [ -f "$sentences" ] || { echo "make-speech-corpus: $sentences: no such file" >&2; exit 1; }
  while IFS= read -r line; do
    line=$(printf '%s' "$line" | tr '[:upper:]' '[:lower:]' | sed "s/[^a-z0-9' ]/ /g; s/  */ /g; s/^ //; s/ $//")
    for d in 0 1 2 3 4 5 6 7 8 9; do line=${line//$d/ ${digit_names[$d]} }; done
    line=$(printf '%s' "$line" | sed 's/  */ /g; s/^ //; s/ $//')
    if [ -n "$line" ] && [ ${#line} -le 60 ]; then texts+=("$line"); fi
    [ ${#texts[@]} -ge "$count" ] && break
  done <"$sentences"
fi

# Each text goes to one split (80 / 10 / 10 by position), spoken by a voice of that split.
: >"$out/train.tsv"; : >"$out/valid.tsv"; : >"$out/test.tsv"
total=${#texts[@]}
for ((i = 0; i < total; i++)); do
  case $((i % 10)) in
    8) split=valid; voices=("${valid_voices[@]}") ;;
    9) split=test; voices=("${test_voices[@]}") ;;
    *) split=train; voices=("${train_voices[@]}") ;;
  esac
  voice=${voices[RANDOM % ${#voices[@]}]}
  speed=$((140 + RANDOM % 50))
  pitch=$((30 + RANDOM % 40))
  name=$(printf 'wav/%s-%05d.wav' "$split" "$i")
  espeak-ng -v "$voice" -s $speed -p $pitch -w "$out/raw.wav" "${texts[$i]}"
  if [ $noise = 1 ]; then
    seconds=$(soxi -D "$out/raw.wav")
    level=$(printf '0.%03d' $((5 + RANDOM % 30)))
    sox -n -r 22050 -c 1 "$out/noise.wav" synth "$seconds" whitenoise vol "$level"
    sox -m "$out/raw.wav" "$out/noise.wav" -r 16000 -c 1 -b 16 "$out/$name"
  else
    sox "$out/raw.wav" -r 16000 -c 1 -b 16 "$out/$name"
  fi
  printf '%s\t%s\n' "$name" "${texts[$i]}" >>"$out/$split.tsv"
  if [ $((i % 100)) = 99 ]; then echo "make-speech-corpus: $((i + 1)) of $total" >&2; fi
done
rm -f "$out/raw.wav" "$out/noise.wav"
echo "make-speech-corpus: $(wc -l <"$out/train.tsv") train, $(wc -l <"$out/valid.tsv") validation, $(wc -l <"$out/test.tsv") test utterances in $out" >&2
