#!/usr/bin/env bash
# EDIFACT throughput, measured in one run on one generated interchange:
#   (a) this engine: EdifactInterchangeValidator streaming the file (parse + envelope + character set checks);
#       also shown: every token through EdifactReader, and every message materialised by EdifactStreamReader;
#   (b) the limit: a Vector256 scan of the same file finding every separator;
#   (c) the npm package edifact@1.2.12 (streaming Parser), installed into a temporary folder.
# Then the peak working set of (a) on a 1 GiB interchange (PEAK_MB=0 skips it).
# Usage: tests/PortCustoms.Benchmarks/edifact-bench.sh [SIZE_MB=128]
set -euo pipefail

SIZE_MB=${1:-128}
PEAK_MB=${PEAK_MB:-1024}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/tests/PortCustoms.Benchmarks"
FIXTURES="$ROOT/tests/PortCustoms.Edifact.Tests/Fixtures"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

dotnet build -c Release "$HERE/PortCustoms.Benchmarks.csproj" -v q --nologo > "$WORK/build.log" || { cat "$WORK/build.log"; exit 2; }
BENCH=(dotnet "$HERE/bin/Release/net10.0/PortCustoms.Benchmarks.dll")

npm install edifact@1.2.12 --prefix "$WORK/npm" --no-audit --no-fund --silent > /dev/null

FILE="$WORK/bench.edi"
"${BENCH[@]}" edifact-generate "$FILE" "$SIZE_MB" \
  "$FIXTURES/edifact.01.multi-message.edi" "$FIXTURES/edifact.D01B.IFCSUM.EDI" "$FIXTURES/edifact.Issue152.Wikipedia.edi"

"${BENCH[@]}" edifact-throughput "$FILE" 3 > "$WORK/csharp.txt"
node "$HERE/edifact-bench.mjs" "$WORK/npm/node_modules" "$FILE" > "$WORK/node.txt"

PEAK="not measured (PEAK_MB=0)"
if [ "$PEAK_MB" -gt 0 ]; then
  BIG="$WORK/peak.edi"
  rm -f "$FILE"
  "${BENCH[@]}" edifact-generate "$BIG" "$PEAK_MB" \
    "$FIXTURES/edifact.01.multi-message.edi" "$FIXTURES/edifact.D01B.IFCSUM.EDI" "$FIXTURES/edifact.Issue152.Wikipedia.edi" > /dev/null
  PEAK="$("${BENCH[@]}" edifact-peak "$BIG") on $(( $(stat -c %s "$BIG") / 1048576 )) MiB"
  rm -f "$BIG"
fi

awk -v peak="$PEAK" -v size="$SIZE_MB" '
  { mbps[$1] = $2; secs[$1] = $3; detail[$1] = $4 " " $5 }
  END {
    printf "EDIFACT throughput on a %s MiB interchange (best of 3 after a warm-up for C#; one run for node)\n\n", size
    printf "| %-58s | %9s | %8s | %s\n", "what", "MB/s", "seconds", "detail"
    printf "|%s|%s|%s|\n", "------------------------------------------------------------", "-----------", "----------", "------"
    printf "| %-58s | %9.1f | %8.3f | %s\n", "(a) engine: validate (parse + envelope + charset), streaming", mbps["engine-validate"], secs["engine-validate"], detail["engine-validate"]
    printf "| %-58s | %9.1f | %8.3f | %s\n", "    engine: every token through EdifactReader over a pipe", mbps["engine-tokenize"], secs["engine-tokenize"], detail["engine-tokenize"]
    printf "| %-58s | %9.1f | %8.3f | %s\n", "    engine: every message materialised (EdifactStreamReader)", mbps["engine-messages"], secs["engine-messages"], detail["engine-messages"]
    printf "| %-58s | %9.1f | %8.3f | %s\n", "(b) limit: Vector256 separator scan", mbps["vector-scan"], secs["vector-scan"], detail["vector-scan"]
    printf "| %-58s | %9.1f | %8.3f | %s\n", "(c) npm edifact@1.2.12 streaming Parser", mbps["npm-edifact"], secs["npm-edifact"], detail["npm-edifact"]
    printf "\n"
    printf "a/b = %.0f %% (target >= 40 %%)    tokens/b = %.0f %%\n", 100 * mbps["engine-validate"] / mbps["vector-scan"], 100 * mbps["engine-tokenize"] / mbps["vector-scan"]
    printf "a/c = %.1fx (target >= 12x)       tokens/c = %.1fx\n", mbps["engine-validate"] / mbps["npm-edifact"], mbps["engine-tokenize"] / mbps["npm-edifact"]
    printf "peak memory of (a): %s (target < 64 MB for 1 GB)\n", peak
  }' "$WORK/csharp.txt" "$WORK/node.txt"
