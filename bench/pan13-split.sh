#!/usr/bin/env bash
# PAN 2013 obfuscated categories (03 random, 04 translation, 05 summary) on
# ../shared/data/pan13-dev, each split in two: the first pairs of its `pairs` file
# (development: rules are chosen and misses read there only) and the rest (held out),
# scored apart. 03 and 04 split at half their pairs (222 of 444, 277 of 554); 05 at 300 of 598.
# Usage (from the repository root): bash bench/pan13-split.sh [textreuse pan options]
# Pass DET=DIR to score detections already made for all of pan13-dev (e.g. out/pan13/det).
# The pair lists land in $OUT/<category>/{dev,held-out}.pairs (bench/pan_misses.py --pairs).
# CATS="05-summary-obfuscation" scores one category only (bench/pan13-summary-split.sh).
set -euo pipefail
DATA=${PAN13:-../shared/data/pan13-dev}
OUT=${OUT:-out/pan13-split}
TR=${TEXTREUSE:-.venv/bin/textreuse}
rm -rf "$OUT"
mkdir -p "$OUT"
split_of() {
  case "$1" in
    05-*) echo 300 ;;
    *) echo $(($(wc -l < "$DATA/$1/pairs") / 2)) ;;
  esac
}
CATS=${CATS:-"03-random-obfuscation 04-translation-obfuscation 05-summary-obfuscation"}
for name in $CATS; do
  cat_dir="$DATA/$name"
  split=$(split_of "$name")
  mkdir -p "$OUT/$name"
  head -n "$split" "$cat_dir/pairs" > "$OUT/$name/dev.pairs"
  tail -n +"$((split + 1))" "$cat_dir/pairs" > "$OUT/$name/held-out.pairs"
  for part in dev held-out; do
    mkdir -p "$OUT/$name/truth-$part"
    while read -r susp src; do
      ln -s "$(cd "$cat_dir" && pwd)/${susp%.txt}-${src%.txt}.xml" "$OUT/$name/truth-$part/"
    done < "$OUT/$name/$part.pairs"
  done
done
DET=${DET:-}
if [ -z "$DET" ]; then
  DET="$OUT/det"
  for name in $CATS; do cat "$OUT/$name/dev.pairs" "$OUT/$name/held-out.pairs"; done > "$OUT/pairs"
  "$TR" pan "$OUT/pairs" "$DATA/src" "$DATA/susp" "$DET" "$@"
fi
for name in $CATS; do
  for part in dev held-out; do
    mkdir -p "$OUT/$name/det-$part"
    while read -r susp src; do
      f="${susp%.txt}-${src%.txt}.xml"
      if [ -e "$DET/$f" ]; then ln -s "$(cd "$DET" && pwd)/$f" "$OUT/$name/det-$part/"; fi
    done < "$OUT/$name/$part.pairs"
    echo "== $name, $part ($(wc -l < "$OUT/$name/$part.pairs") pairs)"
    "$TR" evaluate "$OUT/$name/truth-$part" "$OUT/$name/det-$part" | sed -n '1,2p;$p'
  done
done
