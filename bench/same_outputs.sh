#!/usr/bin/env bash
# Do two checkouts give the same outputs? Runs both on the demo corpus (full and lexical), the shared
# examples (compare, JSON and text), pan13-dev (all pairs, lexical and full) and the planted benchmark
# (lexical, and a small full-mode draw), then compares the files byte for byte.
#
# Usage (from the repository root; BEFORE is another checkout's root, e.g. a `git worktree` of main):
#   bash bench/same_outputs.sh BEFORE [OUT]
# The sentence embeddings are cached in OUT/embeddings, so both sides read the same vectors and a
# rerun embeds nothing (the first full-mode PAN run embeds every sentence: about 20 minutes).
set -uo pipefail
BEFORE=$(cd "$1" && pwd)
AFTER=$(pwd)
OUT=${2:-out/same-outputs}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
export TEXTREUSE_EMBED_CACHE="$OUT/embeddings"
TR=.venv/bin/textreuse
EX=../shared/examples

run() {  # run SIDE_SRC DEST
  local src=$1 dest=$2
  mkdir -p "$dest"
  export PYTHONPATH="$src/src"
  rm -rf "$dest"/demo "$dest"/demo_lex
  $TR find demo/corpus.jsonl --out "$dest/demo" > /dev/null 2>&1
  $TR find demo/corpus.jsonl --mode lexical --out "$dest/demo_lex" > /dev/null 2>&1
  for m in full lexical; do
    $TR compare $EX/reprint-abridged.txt $EX/copy-round-trip-translated.txt --mode $m --format json > "$dest/ex_$m.json"
    $TR compare $EX/reprint-abridged.txt $EX/copy-round-trip-translated.txt --mode $m > "$dest/ex_$m.txt"
  done
  for m in lexical full; do
    OUT="$dest/pan_$m" TEXTREUSE=$TR bash bench/pan13.sh --mode $m > "$dest/pan_$m.txt" 2>&1
  done
  .venv/bin/python bench/planted.py --out "$dest/planted" --no-diagnose > /dev/null 2>&1
  .venv/bin/python bench/planted.py --sources 60 --distractors 600 --mode full --out "$dest/planted_full" \
    --no-diagnose > /dev/null 2>&1
  unset PYTHONPATH
}

run "$BEFORE" "$OUT/before"
run "$AFTER" "$OUT/after"
status=0
for f in demo/pairs.jsonl demo/families.jsonl demo_lex/pairs.jsonl demo_lex/families.jsonl \
         ex_full.json ex_lexical.json ex_full.txt ex_lexical.txt \
         planted/found/pairs.jsonl planted/found/families.jsonl \
         planted_full/found/pairs.jsonl planted_full/found/families.jsonl; do
  if cmp -s "$OUT/before/$f" "$OUT/after/$f"; then echo "same       $f"; else echo "DIFFERENT  $f"; status=1; fi
done
for m in lexical full; do
  if diff -r "$OUT/before/pan_$m/det" "$OUT/after/pan_$m/det" > /dev/null; then
    echo "same       pan13 $m: $(ls "$OUT/after/pan_$m/det" | wc -l) detection files"
  else
    echo "DIFFERENT  pan13 $m"; status=1
  fi
done
exit $status
