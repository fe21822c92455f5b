#!/usr/bin/env bash
# Fetches what Parvis needs to build and run, once, into a cache outside the repo:
# the Go modules, and libchdb.so (the embedded ClickHouse) from the npm registry,
# checksum verified. Prints the library path on the last line.
set -euo pipefail

CHDB_VERSION=26.5.3
TGZ_SHA256=b874e449710950da3abd7e20376f7bb3387d9e03adcc7082f022be18dfdf316a
LIB_SHA256=4330da79405733f7572f27c1442f46c03a08301f00859dce0368645731b1e1dc
CACHE="${PARVIS_CACHE:-$HOME/.cache/parvis}"
LIB="$CACHE/chdb-$CHDB_VERSION/libchdb.so"

cd "$(dirname "$0")/.."
go mod download

if [ -f "$LIB" ] && [ -f "$LIB.ok" ]; then
  echo "$LIB"
  exit 0
fi

command -v npm >/dev/null || { echo "deps: npm is needed to fetch libchdb (apt-get install npm)" >&2; exit 1; }
mkdir -p "$CACHE/chdb-$CHDB_VERSION"
TGZ="$CACHE/chdb-lib-linux-x64-gnu-$CHDB_VERSION.tgz"
if [ ! -f "$TGZ" ] || ! echo "$TGZ_SHA256  $TGZ" | sha256sum -c --quiet 2>/dev/null; then
  echo "deps: fetching @chdb/lib-linux-x64-gnu@$CHDB_VERSION (167 MB, once)" >&2
  (cd "$CACHE" && npm pack --silent "@chdb/lib-linux-x64-gnu@$CHDB_VERSION" >/dev/null)
fi
echo "$TGZ_SHA256  $TGZ" | sha256sum -c --quiet || { echo "deps: checksum mismatch for $TGZ" >&2; rm -f "$TGZ"; exit 1; }
tar -xzf "$TGZ" -C "$CACHE/chdb-$CHDB_VERSION" --strip-components=1 package/libchdb.so
echo "$LIB_SHA256  $LIB" | sha256sum -c --quiet || { echo "deps: checksum mismatch for $LIB" >&2; rm -f "$LIB"; exit 1; }
touch "$LIB.ok"
echo "$LIB"
