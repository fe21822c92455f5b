#!/usr/bin/env bash
# Runs every fuzz target of the module for a short while (FUZZTIME, default 10s
# each): the parsers, the redactor, the normaliser and the event decoder meet
# inputs nobody wrote. A failing input is saved under the package's
# testdata/fuzz/ by Go, to be committed with its fix. New inputs are minimized
# for a second at most: a run that ends while one is being minimized is
# reported by Go as a failure ("context deadline exceeded") that is none.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME="${FUZZTIME:-10s}"
grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r file; do
  pkg="./$(dirname "${file#./}")"
  for name in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$file"); do
    echo "fuzz: $pkg $name ($FUZZTIME)"
    go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime 1s "$pkg" >/tmp/parvis-fuzz.log 2>&1 \
      || { cat /tmp/parvis-fuzz.log; echo "fuzz: $name in $pkg found a failing input (see above)"; exit 1; }
  done
done
