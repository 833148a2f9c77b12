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

"${BENCH[@]}" edifact-throughput "$FILE" 5 > "$WORK/csharp.txt"
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
  { wall[$1] = $2; secs[$1] = $3; cpu[$1] = $4; cpusecs[$1] = $5; detail[$1] = $6 " " $7 }
  function row(label, key) {
    printf "| %-62s | %9.1f | %7.3f | %9.1f | %7.3f | %s |\n", label, wall[key], secs[key], cpu[key], cpusecs[key], detail[key]
  }
  END {
    printf "EDIFACT throughput on a %s MiB interchange: best of 5 interleaved rounds after a warm-up (C#), best of 3 (node).\n", size
    printf "MB/s by wall time, and by CPU time of the process (the machine may be shared; CPU time is the steadier measure).\n\n"
    printf "| %-62s | %9s | %7s | %9s | %7s | %s |\n", "what", "wall MB/s", "wall s", "CPU MB/s", "CPU s", "detail"
    printf "|%s|%s|%s|%s|%s|%s|\n", "----------------------------------------------------------------", "-----------", "---------", "-----------", "---------", "------"
    row("(a) engine: validate (parse + envelope + charset), streaming", "engine-validate")
    row("    engine: every token through EdifactReader over a pipe", "engine-tokenize")
    row("    engine: every message materialised (EdifactStreamReader)", "engine-messages")
    row("(b) limit: Vector256 separator scan of the file", "vector-scan")
    row("(c) npm edifact@1.2.12 streaming Parser", "npm-edifact")
    printf "\n"
    printf "a/b = %.0f %% by wall time, %.0f %% by CPU time (target >= 40 %%)\n", 100 * wall["engine-validate"] / wall["vector-scan"], 100 * cpu["engine-validate"] / cpu["vector-scan"]
    printf "a/c = %.1fx by wall time, %.1fx by CPU time (target >= 12x)\n", wall["engine-validate"] / wall["npm-edifact"], cpu["engine-validate"] / cpu["npm-edifact"]
    printf "peak memory of (a): %s (target < 64 MB for 1 GB)\n", peak
  }' "$WORK/csharp.txt" "$WORK/node.txt"
