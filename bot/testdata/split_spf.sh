#!/usr/bin/env bash
# Splits ../shared/data/service-public/spf_paraphrases_dev.jsonl by fiche: every
# paraphrase of a fiche goes to the same part, chosen by the CRC (cksum) of its
# expected id; out-of-scope cases ("none") by the CRC of their text. About 60% go
# to spf_tune.jsonl (tuning allowed), the rest to spf_heldout.jsonl (never tuned on).
# Usage: bot/testdata/split_spf.sh [SOURCE]
set -euo pipefail
cd "$(dirname "$0")"
src="${1:-../../../shared/data/service-public/spf_paraphrases_dev.jsonl}"
: >spf_tune.jsonl
: >spf_heldout.jsonl
while IFS= read -r line; do
  [ -n "$line" ] || continue
  key=$(jq -r 'if .expected == "none" then .text else .expected end' <<<"$line")
  crc=$(printf '%s' "$key" | cksum | cut -d' ' -f1)
  if [ $((crc % 10)) -lt 6 ]; then echo "$line" >>spf_tune.jsonl; else echo "$line" >>spf_heldout.jsonl; fi
done <"$src"
