#!/usr/bin/env bash
# The batch job on one generated COARRI interchange with a finding in every message (issue 13, Performance), in one run:
#   (a) `portcustoms validate --format json` end to end (a child process; its peak RSS from /usr/bin/time);
#   (b) the batch pipeline in process: check + translate + hash + stage the events, route them (to a queue that drops), the result report;
#       its stderr line splits pass 1 (analyse) from pass 2 (apply + report) with CPU seconds, bytes allocated and collections;
#   (b') the same in a warm process: a 10 MiB file through the pipeline first, unmeasured (a Functions host is long-lived:
#       its code is compiled and tiered by its earlier files, where a fresh process spends its first seconds on that);
#   (c) the npm package edifact@1.2.12 parsing the same file (installed into a temporary folder);
#   (d) the engine's bare parse (EdifactInterchangeValidator: syntax + envelopes, no structure or mapping), every token
#       through the engine's reader, and every message materialised (the floor of any check that reads every value);
#   (e) npm edifact@1.2.12 doing the checks it offers (its README's "Message validation"): a Validator with the
#       segment and element definitions and a Tracker with the COARRI D96B segment table, both exported from the
#       engine's own tables (`npm-definitions`), so the ratio compares like with like (structure and formats; npm has no
#       envelope, code-list or mapping checks, so the job is still lighter than ours).
# Usage: tests/PortCustoms.Benchmarks/batch-bench.sh [SIZE_MB=300]
set -euo pipefail

SIZE_MB=${1:-300}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/tests/PortCustoms.Benchmarks"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

dotnet build -c Release "$HERE/PortCustoms.Benchmarks.csproj" -v q --nologo > "$WORK/build.log" || { cat "$WORK/build.log"; exit 2; }
dotnet build -c Release "$ROOT/functions/PortCustoms.Cli/PortCustoms.Cli.csproj" -v q --nologo > "$WORK/build-cli.log" || { cat "$WORK/build-cli.log"; exit 2; }
BENCH=(dotnet "$HERE/bin/Release/net10.0/PortCustoms.Benchmarks.dll")
CLI=(dotnet "$ROOT/functions/PortCustoms.Cli/bin/Release/net10.0/portcustoms.dll")

npm install edifact@1.2.12 --prefix "$WORK/npm" --no-audit --no-fund --silent > /dev/null

FILE="$WORK/coarri.edi"
"${BENCH[@]}" batch-generate "$FILE" "$SIZE_MB"
MB=$(awk -v b="$(stat -c %s "$FILE")" 'BEGIN { printf "%.1f", b / 1048576 }')

# (a) validate --format json, end to end.
/usr/bin/time -f "%e %U %S %M" -o "$WORK/validate.time" "${CLI[@]}" validate "$FILE" --format json > "$WORK/report.json" 2> "$WORK/validate.err" || true
read -r V_WALL V_USER V_SYS V_RSS < "$WORK/validate.time"
V_REPORT=$(stat -c %s "$WORK/report.json")

# (b) the batch pipeline in process.
/usr/bin/time -f "%M" -o "$WORK/pipeline.time" "${BENCH[@]}" batch-pipeline "$FILE" > "$WORK/pipeline.txt"
P_RSS=$(cat "$WORK/pipeline.time")
"${BENCH[@]}" batch-generate "$WORK/warm.edi" 10 > /dev/null
/usr/bin/time -f "%M" -o "$WORK/pipewarm.time" "${BENCH[@]}" batch-pipeline "$FILE" "$WORK/warm.edi" > "$WORK/pipewarm.txt"
W_RSS=$(cat "$WORK/pipewarm.time")

# (c) npm edifact, (d) the engine's bare parse.
node "$HERE/edifact-bench.mjs" "$WORK/npm/node_modules" "$FILE" > "$WORK/node.txt"
"${BENCH[@]}" npm-definitions COARRI D 96B "$WORK/npm-coarri" > /dev/null
node "$HERE/edifact-bench.mjs" "$WORK/npm/node_modules" "$FILE" "$WORK/npm-coarri" > "$WORK/nodecheck.txt"
"${BENCH[@]}" edifact-throughput "$FILE" 1 engine-validate,engine-tokenize,engine-messages > "$WORK/engine.txt"

awk -v mb="$MB" -v vwall="$V_WALL" -v vcpu="$(awk -v u="$V_USER" -v s="$V_SYS" 'BEGIN { print u + s }')" -v vrss="$V_RSS" -v vreport="$V_REPORT" -v prss="$P_RSS" -v wrss="$W_RSS" '
  FILENAME ~ /pipewarm/ { wwall = $2; wsecs = $3; wcpu = $4; wcpus = $5; next }
  FILENAME ~ /pipeline/ { pwall = $2; psecs = $3; pcpu = $4; pcpus = $5; pdetail = $6 " " $7 " " $8 " " $9; next }
  FILENAME ~ /nodecheck/ { cwall = $2; csecs = $3; ccpu = $4; ccpus = $5; cdetail = $8; next }
  FILENAME ~ /node/ { nwall = $2; nsecs = $3; ncpu = $4; ncpus = $5; next }
  $1 == "engine-validate" { ewall = $2; esecs = $3; ecpu = $4; ecpus = $5 }
  $1 == "engine-tokenize" { twall = $2; tsecs = $3; tcpu = $4; tcpus = $5 }
  $1 == "engine-messages" { mwall = $2; msecs = $3; mcpu = $4; mcpus = $5 }
  END {
    printf "The batch job on a %s MiB COARRI interchange with a finding in every message (one run; the machine may be shared).\n\n", mb
    printf "| what | wall MB/s | wall s | CPU MB/s | CPU s | peak RSS | detail |\n|---|---|---|---|---|---|---|\n"
    printf "| (a) portcustoms validate --format json, end to end | %.1f | %.1f | %.1f | %.1f | %.0f MB | report %d bytes |\n", mb / vwall, vwall, mb / vcpu, vcpu, vrss / 1024, vreport
    printf "| (b) batch pipeline in process (check, translate, route, report) | %.1f | %.1f | %.1f | %.1f | %.0f MB | %s |\n", pwall, psecs, pcpu, pcpus, prss / 1024, pdetail
    printf "| (b'"'"') the same in a warm process (a 10 MiB file first, unmeasured) | %.1f | %.1f | %.1f | %.1f | %.0f MB | |\n", wwall, wsecs, wcpu, wcpus, wrss / 1024
    printf "| (c) npm edifact@1.2.12 streaming parse | %.1f | %.1f | %.1f | %.1f | | |\n", nwall, nsecs, ncpu, ncpus
    printf "| (d) engine bare parse (syntax + envelopes) | %.1f | %.1f | %.1f | %.1f | | |\n", ewall, esecs, ecpu, ecpus
    printf "| (d) engine: every token through the reader | %.1f | %.1f | %.1f | %.1f | | |\n", twall, tsecs, tcpu, tcpus
    printf "| (d) engine: every message materialised | %.1f | %.1f | %.1f | %.1f | | |\n", mwall, msecs, mcpu, mcpus
    printf "| (e) npm edifact@1.2.12 with its Validator and Tracker (COARRI D96B from the engine'"'"'s tables) | %.1f | %.1f | %.1f | %.1f | | %s |\n", cwall, csecs, ccpu, ccpus, cdetail
    printf "\n(a)/(c) = %.2fx, (b)/(c) = %.2fx by wall time; %.2fx and %.2fx by CPU time (target >= 4x); peak RSS targets < 100 MB.\n", (mb / vwall) / nwall, pwall / nwall, (mb / vcpu) / ncpu, pcpu / ncpu
    printf "Warm, (b'"'"')/(c) = %.2fx by wall time, %.2fx by CPU time.\n", wwall / nwall, wcpu / ncpu
    printf "Against npm doing its checks, (a)/(e) = %.2fx, (b)/(e) = %.2fx, (b'"'"')/(e) = %.2fx by wall time; %.2fx, %.2fx and %.2fx by CPU time.\n", (mb / vwall) / cwall, pwall / cwall, wwall / cwall, (mb / vcpu) / ccpu, pcpu / ccpu, wcpu / ccpu
    printf "The engine reading every token runs at %.2fx npm'"'"'s parse by CPU, materialising every message at %.2fx.\n", tcpu / ncpu, mcpu / ncpu
  }' "$WORK/pipeline.txt" "$WORK/pipewarm.txt" "$WORK/node.txt" "$WORK/nodecheck.txt" "$WORK/engine.txt"
