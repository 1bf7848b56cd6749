#!/usr/bin/env bash
# Measures the detector on labelled JSON lines with the rules in rules/ (built fresh into a pack, so edits to
# rules/ count without rebuilding the binary).
#   scripts/eval.sh                 the development set in ../shared/data/dev (relative to the repository)
#   scripts/eval.sh DIR [ARGS...]   every *.jsonl in DIR; further arguments go to `jobguard eval` (e.g. --worst 20)
# Prints recall (scam files) and false-positive rate (legit files) per file and per language at both levels,
# then a summary line per file against the bars (flagged = caution or danger).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-../shared/data/dev}"
[ $# -gt 0 ] && shift
bin=target/release/jobguard
if [ ! -x "$bin" ]; then
  cargo build --release -p jobguard --bin jobguard
fi
shopt -s nullglob
files=("$dir"/*.jsonl)
if [ ${#files[@]} -eq 0 ]; then
  echo "eval: no *.jsonl files in $dir" >&2
  exit 2
fi
pack=$(mktemp --suffix=.json)
out=$(mktemp)
trap 'rm -f "$pack" "$out"' EXIT
"$bin" pack build rules/ -o "$pack"
"$bin" eval --pack "$pack" "$@" "${files[@]}" | tee "$out"

# The bars of issue 11 (judged on the held-back half): minimum flagged share for scam files, maximum for
# legit files. board_posting must also stay <= 2% in each language (read its per-language lines above).
# With `--cv 5 --groups near --train-extra rules/examples` the model is scored out of fold, as the held-back
# half would score it; without `--cv` the shipped model scores texts it was fitted on.
echo
echo "== bars (flagged = caution or danger)"
awk '
  BEGIN {
    min["lure_fragment.scam"] = 60; min["lure_ad.scam"] = 80; min["job_scam_msg.scam"] = 75
    min["ko_sms_side_job.scam"] = 95; min["emscad.scam"] = 70
    max["ko_posting.legit"] = 0.5; max["ko_headline.legit"] = 0.5; max["asia_posting.legit"] = 1
    max["emscad.legit"] = 2; max["ko_sms_job.legit"] = 10; max["board_posting.legit"] = 1
  }
  /^== / { file = ""; if ($2 ~ /\.jsonl$/) { n = split($2, p, "/"); file = p[n]; sub(/\.jsonl$/, "", file) }; next }
  /items:/ && file != "" {
    match($0, /flagged [0-9]+\/[0-9]+ scam, [0-9]+\/[0-9]+ legit/)
    split(substr($0, RSTART + 8, RLENGTH - 8), f, /[\/ ,]+/)
    if (f[2] > 0) { pct = 100 * f[1] / f[2]; kind = "scam" } else if (f[5] > 0) { pct = 100 * f[4] / f[5]; kind = "legit" } else { file = ""; next }
    if (file in min) verdict = (pct >= min[file]) ? "ok  " : "MISS"
    else if (file in max) verdict = (pct <= max[file]) ? "ok  " : "MISS"
    else verdict = "    "
    bar = (file in min) ? ">= " min[file] "%" : ((file in max) ? "<= " max[file] "%" : "")
    printf "  %s %-24s %-5s flagged %5.1f%%  %s\n", verdict, file, kind, pct, bar
    file = ""
  }
' "$out"
