#!/usr/bin/env bash
# WCO XML throughput, measured in one run on one generated cargo report (issue 15, Performance):
#   (a) XML in and out: WcoXmlReader reading the report (validated against its schema while read, mapped to the
#       canonical model consignment by consignment) and WcoXmlWriter writing each item again (validated as written);
#       also shown: in alone, out alone, and the validating XmlReader alone (what System.Xml.Schema costs);
#   (b) the limit: a bare XmlReader pass over the same file (same security settings, no validation, nothing mapped);
#       also shown: a bare copy (XmlReader into XmlWriter, nothing validated or mapped), the floor of any in-and-out.
# Then the peak working set of (a) on the report and on one PEAK_FACTOR times its size (flat in file size).
# Usage: tests/PortCustoms.Benchmarks/xml-bench.sh [SIZE_MB=100] [ROUNDS=3]
set -euo pipefail

SIZE_MB=${1:-100}
ROUNDS=${2:-3}
PEAK_FACTOR=${PEAK_FACTOR:-4}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/tests/PortCustoms.Benchmarks"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

dotnet build -c Release "$HERE/PortCustoms.Benchmarks.csproj" -v q --nologo > "$WORK/build.log" || { cat "$WORK/build.log"; exit 2; }
BENCH=(dotnet "$HERE/bin/Release/net10.0/PortCustoms.Benchmarks.dll")

FILE="$WORK/cargo-report.xml"
"${BENCH[@]}" xml-generate "$FILE" "$SIZE_MB" > /dev/null
"${BENCH[@]}" xml-throughput "$FILE" "$ROUNDS" > "$WORK/throughput.txt"
PEAK_SMALL="$("${BENCH[@]}" xml-peak "$FILE")"
BIG="$WORK/cargo-report-big.xml"
rm -f "$FILE"
"${BENCH[@]}" xml-generate "$BIG" $(( SIZE_MB * PEAK_FACTOR )) > /dev/null
BIG_MB=$(( $(stat -c %s "$BIG") / 1048576 ))
PEAK_BIG="$("${BENCH[@]}" xml-peak "$BIG")"
rm -f "$BIG"

awk -v size="$SIZE_MB" -v rounds="$ROUNDS" -v small="$PEAK_SMALL" -v big="$PEAK_BIG" -v bigmb="$BIG_MB" '
  { wall[$1] = $2; secs[$1] = $3; cpu[$1] = $4; cpusecs[$1] = $5; detail[$1] = $6 " " $7 " " $8 }
  function row(label, key) {
    printf "| %-66s | %9.1f | %7.3f | %9.1f | %7.3f | %s |\n", label, wall[key], secs[key], cpu[key], cpusecs[key], detail[key]
  }
  END {
    printf "WCO XML on a %s MiB cargo report: best of %s interleaved rounds after a warm-up.\n", size, rounds
    printf "MB/s by wall time, and by CPU time of the process (the machine may be shared; CPU time is the steadier measure).\n\n"
    printf "| %-66s | %9s | %7s | %9s | %7s | %s |\n", "what", "wall MB/s", "wall s", "CPU MB/s", "CPU s", "detail"
    printf "|%s|%s|%s|%s|%s|%s|\n", "--------------------------------------------------------------------", "-----------", "---------", "-----------", "---------", "------"
    row("(a) XML in and out: read + validate + map, write + validate", "xml-in-out")
    row("    XML in: read + validate + map to the canonical model", "xml-in")
    row("    XML out: write + validate from the canonical model", "xml-out")
    row("    System.Xml.Schema validating XmlReader alone (nothing mapped)", "validating-xmlreader")
    row("    bare copy: XmlReader -> XmlWriter (no validation, no mapping)", "bare-copy")
    row("(b) limit: bare XmlReader pass over the file", "bare-xmlreader")
    printf "\n"
    printf "a/b = %.0f %% by wall time, %.0f %% by CPU time (target >= 50 %%)\n", 100 * wall["xml-in-out"] / wall["bare-xmlreader"], 100 * cpu["xml-in-out"] / cpu["bare-xmlreader"]
    printf "in/b = %.0f %%, out/b = %.0f %%, validating reader/b = %.0f %% by CPU time\n", 100 * cpu["xml-in"] / cpu["bare-xmlreader"], 100 * cpu["xml-out"] / cpu["bare-xmlreader"], 100 * cpu["validating-xmlreader"] / cpu["bare-xmlreader"]
    printf "bare copy/b = %.0f %% by CPU time: the most any in-and-out can reach against (b); a/bare copy = %.0f %%\n", 100 * cpu["bare-copy"] / cpu["bare-xmlreader"], 100 * cpu["xml-in-out"] / cpu["bare-copy"]
    printf "peak memory of (a): %s MiB report: %s; %s MiB report: %s\n", size, small, bigmb, big
  }' "$WORK/throughput.txt"
