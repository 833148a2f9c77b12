#!/usr/bin/env bash
# The EDIFACT engine under hostile input (issue 12), in one run, through the whole validate path (syntax, envelope,
# structure, mapping: what `portcustoms validate` runs), inputs generated on the fly:
#   (a) time per MB for messages of 1 k, 16 k and 64 k elements per segment: the ratio to 1 k must stay flat;
#   (b) peak working set validating one message of MESSAGE_MB (default 40) of short segments;
#   (c) peak working set validating WARNINGS (default 1000000) messages with one warning each;
#   (d) the same process doing (c) for 1000 messages: the baseline of (b) and (c).
# Each peak is its own process (the working set is process-wide). Targets: (a) flat, (b) and (c) under 100 MB.
# Usage: tests/PortCustoms.Benchmarks/edifact-hostile-bench.sh [SLOPE_MB=8]
set -euo pipefail

SLOPE_MB=${1:-8}
MESSAGE_MB=${MESSAGE_MB:-40}
WARNINGS=${WARNINGS:-1000000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/tests/PortCustoms.Benchmarks"
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT

dotnet build -c Release "$HERE/PortCustoms.Benchmarks.csproj" -v q --nologo > "$LOG" || { cat "$LOG"; exit 2; }
BENCH=(dotnet "$HERE/bin/Release/net10.0/PortCustoms.Benchmarks.dll")

echo "(a) time per MB by segment width, ${SLOPE_MB} MB each, best of 3 interleaved rounds after a warm-up:"
"${BENCH[@]}" edifact-slope "$SLOPE_MB"
echo
# A wide message's objects outlive gen 0 and are promoted, so the collector's share grows with the message; with a
# gen 0 budget larger than a message what is left is the code's own slope.
echo "(a') the same with a 128 MB gen 0 budget (DOTNET_GCgen0size), the collector's promotions out of the picture:"
DOTNET_GCgen0size=0x8000000 "${BENCH[@]}" edifact-slope "$SLOPE_MB"
echo
echo "(d) baseline: $("${BENCH[@]}" edifact-peak-warnings 1000)"
echo "(b) $("${BENCH[@]}" edifact-peak-message "$MESSAGE_MB")"
echo "(c) $("${BENCH[@]}" edifact-peak-warnings "$WARNINGS")"
