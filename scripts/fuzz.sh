#!/usr/bin/env bash
# Runs every fuzz target of the module for a short while (FUZZTIME, default 10s
# each): the parsers, the redactor, the normaliser and the event decoder meet
# inputs nobody wrote. A failing input is saved under the package's
# testdata/fuzz/ by Go, to be committed with its fix.
#
# A run whose time ends while Go minimizes a new input is reported by Go as a
# failure ("context deadline exceeded") with no failing input: that is not a
# finding, and the target is run again (three times at most). New inputs are
# minimized for a second at most, to make it rare.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME="${FUZZTIME:-10s}"
log=/tmp/parvis-fuzz.log
grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r file; do
  pkg="./$(dirname "${file#./}")"
  for name in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$file"); do
    for attempt in 1 2 3; do
      echo "fuzz: $pkg $name ($FUZZTIME)"
      if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime 1s "$pkg" >"$log" 2>&1; then
        break
      fi
      if [ "$attempt" -lt 3 ] && grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log"; then
        echo "fuzz: $name ended while minimizing a new input (no failing input): again"
        continue
      fi
      cat "$log"
      echo "fuzz: $name in $pkg found a failing input (see above)"
      exit 1
    done
  done
done
