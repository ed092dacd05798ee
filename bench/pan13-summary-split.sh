#!/usr/bin/env bash
# PAN 2013 summary obfuscation (05) on ../shared/data/pan13-dev, split in two: the first
# 300 pairs of its `pairs` file (development) and the other 298 (held out), scored apart.
# Usage (from the repository root): bash bench/pan13-summary-split.sh [textreuse pan options]
# Pass DET=DIR to score detections already made for all of pan13-dev (e.g. out/pan13/det).
# bench/pan13-split.sh with one category.
set -euo pipefail
CATS=05-summary-obfuscation OUT=${OUT:-out/pan13-summary} exec bash "$(dirname "$0")/pan13-split.sh" "$@"
