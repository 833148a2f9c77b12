#!/usr/bin/env bash
# What each way of storing a gate decision costs Azurite, in CPU per decision (scripted, not a test).
#
#   tests/PortCustoms.Benchmarks/table-costs.sh [DECISIONS]
#
# Starts a fresh Azurite (in memory, as gate-load.sh does) and runs the Benchmarks exe's table-costs mode against it:
# the gate's state point read, then its audit entity stored one conditional insert per decision (today), in
# entity-group batches (group commit; in one shared partition as per-terminal idempotency needs, and in a fresh
# partition each as a lower bound), and as one "page" entity per many decisions. Azurite is one Node.js thread, so
# its CPU per request is what bounds every gate-load.sh throughput here (docs/gate-path.md#load).
set -euo pipefail
cd "$(dirname "$0")/../.."
DECISIONS=${1:-6000}
[ -f node_modules/azurite/dist/src/azurite.js ] || npm ci --no-audit --no-fund >/dev/null
dotnet build -c Release -v q -nologo tests/PortCustoms.Benchmarks >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
BLOB=$(free_port); QUEUE=$(free_port); TABLE=$(free_port)
KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
CONN="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$KEY;BlobEndpoint=http://127.0.0.1:$BLOB/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$QUEUE/devstoreaccount1;TableEndpoint=http://127.0.0.1:$TABLE/devstoreaccount1;"
LOG=$(mktemp)
node node_modules/azurite/dist/src/azurite.js --blobHost 127.0.0.1 --blobPort "$BLOB" --queueHost 127.0.0.1 --queuePort "$QUEUE" \
  --tableHost 127.0.0.1 --tablePort "$TABLE" --inMemoryPersistence --skipApiVersionCheck --loose --disableTelemetry --silent >"$LOG" 2>&1 &
AZURITE=$!
trap 'kill $AZURITE 2>/dev/null || true; wait 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 1 60); do (echo >"/dev/tcp/127.0.0.1/$TABLE") 2>/dev/null && break; sleep 0.5; done
dotnet tests/PortCustoms.Benchmarks/bin/Release/net10.0/PortCustoms.Benchmarks.dll table-costs --storage "$CONN" --pid "$AZURITE" --decisions "$DECISIONS"
