#!/usr/bin/env bash
# Fetches what Parvis needs to build, run and test, once, into a cache outside the
# repo: the Go modules, libchdb.so (the embedded ClickHouse) and axe-core (for the
# accessibility tests) from the npm registry, checksum verified; says when a
# Debian package it does not install is missing (wfrench, prometheus for promtool). Prints the library
# path on the last line.
set -euo pipefail

CHDB_VERSION=26.5.3
TGZ_SHA256=b874e449710950da3abd7e20376f7bb3387d9e03adcc7082f022be18dfdf316a
LIB_SHA256=4330da79405733f7572f27c1442f46c03a08301f00859dce0368645731b1e1dc
CACHE="${PARVIS_CACHE:-$HOME/.cache/parvis}"
LIB="$CACHE/chdb-$CHDB_VERSION/libchdb.so"

cd "$(dirname "$0")/.."
go mod download

# Debian's French word list (wfrench): the understanding engine never "corrects"
# a word it holds. Read at run time; without it the engine runs, but may turn
# correct words it does not know ("demain") into words of the knowledge base.
if [ ! -f /usr/share/dict/french ]; then
  echo "deps: /usr/share/dict/french is missing: run 'apt-get install wfrench' (spelling correction will change correct French words without it)" >&2
fi

# promtool checks deploy/'s Prometheus configuration and alert rules in the
# tests; without it, that test says SKIP.
if ! command -v promtool >/dev/null; then
  echo "deps: promtool is missing: run 'apt-get install prometheus' (the deploy/ alert rules are not checked without it)" >&2
fi

# axe-core, for the accessibility audits of the browser tests (never shipped).
AXE_VERSION=4.14.1
AXE_SHA256=e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745
AXE="$CACHE/axe-core-$AXE_VERSION/axe.min.js"
if [ ! -f "$AXE" ]; then
  command -v npm >/dev/null || { echo "deps: npm is needed (apt-get install npm)" >&2; exit 1; }
  mkdir -p "$CACHE/axe-core-$AXE_VERSION"
  AXE_TGZ="$CACHE/axe-core-$AXE_VERSION.tgz"
  [ -f "$AXE_TGZ" ] || (cd "$CACHE" && npm pack --silent "axe-core@$AXE_VERSION" >/dev/null)
  echo "$AXE_SHA256  $AXE_TGZ" | sha256sum -c --quiet || { echo "deps: checksum mismatch for $AXE_TGZ" >&2; rm -f "$AXE_TGZ"; exit 1; }
  tar -xzf "$AXE_TGZ" -C "$CACHE/axe-core-$AXE_VERSION" --strip-components=1 package/axe.min.js
fi

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
