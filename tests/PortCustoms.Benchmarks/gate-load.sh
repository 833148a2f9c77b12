#!/usr/bin/env bash
# Gate throughput and latency against its limit, on this machine (scripted, not a test).
#
#   tests/PortCustoms.Benchmarks/gate-load.sh [SECONDS]
#
# Starts one Azurite (in memory), the app on PortCustoms.LocalHost (Release) and the "limit": a bare Kestrel endpoint in
# the Benchmarks exe that does exactly one Table Storage point read per request against the same Azurite and answers the
# same shape. Stores one RELEASED notification, then for store-answered gate queries (each with a new gateTransactionId,
# so every app request is a state read plus a conditional audit insert):
#   1. peak throughput of each with wrk (closed loop, 2 threads, 32 connections);
#   2. latency at half of each one's own peak with the Benchmarks exe's "paced" mode, an open-loop client that sends at a
#      fixed rate and measures from each request's scheduled start (wrk2 is not available; plain wrk with fewer
#      connections would measure a closed loop, hiding queueing).
# Targets: app throughput >= 80% of the limit's; app p99 at half load <= 2x the limit's p99 at half load.
# Everything runs on loopback and stops by itself; the processes it starts are stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SECONDS_PER_RUN=${1:-20}
CONTAINER=MSCU1234566

if ! command -v wrk >/dev/null; then
  echo "wrk not found: installing it from Debian." >&2
  (apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; })
fi
[ -f node_modules/azurite/dist/src/azurite.js ] || npm ci --no-audit --no-fund >/dev/null

echo "Building (Release)..." >&2
dotnet build -c Release -v q -nologo functions/PortCustoms.LocalHost >/dev/null
dotnet build -c Release -v q -nologo tests/PortCustoms.Benchmarks >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
BLOB=$(free_port); QUEUE=$(free_port); TABLE=$(free_port); APP=$(free_port); LIMIT=$(free_port)
KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
CONN="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$KEY;BlobEndpoint=http://127.0.0.1:$BLOB/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$QUEUE/devstoreaccount1;TableEndpoint=http://127.0.0.1:$TABLE/devstoreaccount1;"
WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

node node_modules/azurite/dist/src/azurite.js --blobHost 127.0.0.1 --blobPort "$BLOB" --queueHost 127.0.0.1 --queuePort "$QUEUE" \
  --tableHost 127.0.0.1 --tablePort "$TABLE" --inMemoryPersistence --skipApiVersionCheck --loose --disableTelemetry --silent >"$WORK/azurite.log" 2>&1 &
PIDS+=($!)
dotnet functions/PortCustoms.LocalHost/bin/Release/net10.0/PortCustoms.LocalHost.dll \
  "--LocalHost:Port=$APP" "--AzureWebJobsStorage=$CONN" "--Logging:LogLevel:Default=Warning" >"$WORK/app.log" 2>&1 &
PIDS+=($!)
dotnet tests/PortCustoms.Benchmarks/bin/Release/net10.0/PortCustoms.Benchmarks.dll gate-limit --port "$LIMIT" --storage "$CONN" >"$WORK/limit.log" 2>&1 &
PIDS+=($!)

wait_http() { for _ in $(seq 1 120); do curl -s -o /dev/null "$1" && return 0; sleep 0.5; done; echo "not listening: $1" >&2; cat "$WORK"/*.log >&2; exit 2; }
wait_http "http://127.0.0.1:$APP/api/v1/health"
wait_http "http://127.0.0.1:$LIMIT/"

APP_URL="http://127.0.0.1:$APP/api/v1/gate/queries"
LIMIT_URL="http://127.0.0.1:$LIMIT/api/v1/gate/queries"
curl -sf -o /dev/null -X POST "http://127.0.0.1:$APP/api/v1/customs/notifications" -H 'Content-Type: application/json' \
  -d "{\"notificationId\":\"LOAD-1\",\"containerNumber\":\"$CONTAINER\",\"status\":\"RELEASED\",\"customsReference\":\"24NL0000000000001\",\"issuedAt\":\"2026-11-26T07:10:00Z\"}"
for url in "$APP_URL" "$LIMIT_URL"; do
  answer=$(curl -sf -X POST "$url" -H 'Content-Type: application/json' -d "{\"containerNumber\":\"$CONTAINER\",\"direction\":\"OUT\",\"gateTransactionId\":\"CHECK-$RANDOM\",\"terminal\":\"NLRTM-ECT\"}")
  echo "$answer" | grep -q '"decision":"CLEAR".*"source":"STORE"' || { echo "unexpected answer from $url: $answer" >&2; exit 2; }
done

cat >"$WORK/gate.lua" <<LUA
local next_id = 1
function setup(thread) thread:set("tid", next_id); next_id = next_id + 1 end
function init(args) n = 0; run = args[1] or "r" end
function request()
  n = n + 1
  local body = '{"containerNumber":"$CONTAINER","direction":"OUT","gateTransactionId":"W-' .. run .. '-' .. tid .. '-' .. n .. '","terminal":"NLRTM-ECT"}'
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
LUA

peak() { # url label -> requests/s
  local out; out=$(wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" --timeout 10s -s "$WORK/gate.lua" "$1" -- "$2-$RANDOM")
  echo "$out" >"$WORK/wrk-$2.txt"
  if echo "$out" | grep -q "Non-2xx"; then echo "$2: non-2xx answers:" >&2; echo "$out" >&2; fi
  echo "$out" | awk '/Requests\/sec/ {print $2}'
}
echo "Warming up..." >&2
wrk -t2 -c16 -d5s -s "$WORK/gate.lua" "$APP_URL" -- warm-app >/dev/null
wrk -t2 -c16 -d5s -s "$WORK/gate.lua" "$LIMIT_URL" -- warm-limit >/dev/null

echo "Peak throughput (wrk -t2 -c32, ${SECONDS_PER_RUN}s each)..." >&2
APP_PEAK=$(peak "$APP_URL" app)
LIMIT_PEAK=$(peak "$LIMIT_URL" limit)

paced() { # url rate
  dotnet tests/PortCustoms.Benchmarks/bin/Release/net10.0/PortCustoms.Benchmarks.dll paced --url "$1" --rate "$2" --duration "$SECONDS_PER_RUN" --container "$CONTAINER" || true
}
HALF=$(python3 -c "print(round($APP_PEAK/2))")
echo "Latency at half the gate's peak, $HALF req/s, offered to both (open-loop, ${SECONDS_PER_RUN}s each)..." >&2
APP_PACED=$(paced "$APP_URL" "$HALF")
LIMIT_PACED=$(paced "$LIMIT_URL" "$HALF")

p() { echo "$1" | sed -n "s/.* $2=\([0-9.]*\) ms.*/\1/p"; }
python3 - "$APP_PEAK" "$LIMIT_PEAK" "$(p "$APP_PACED" p50)" "$(p "$APP_PACED" p99)" "$(p "$LIMIT_PACED" p50)" "$(p "$LIMIT_PACED" p99)" "$APP_PACED" "$LIMIT_PACED" <<'PY'
import sys
app, limit, a50, a99, l50, l99 = (float(x) for x in sys.argv[1:7])
ratio = app / limit
print(f"gate (LocalHost, state read + audit insert): {app:8.0f} req/s   at {app/2:.0f} req/s: p50 {a50:.2f} ms  p99 {a99:.2f} ms")
print(f"limit (one point read, same Azurite):        {limit:8.0f} req/s   at {app/2:.0f} req/s: p50 {l50:.2f} ms  p99 {l99:.2f} ms")
print(f"throughput ratio {ratio:.0%} (target >= 80%): {'MET' if ratio >= 0.8 else 'MISSED'}")
print(f"p99 at half the gate's peak {a99/l99:.2f}x the limit's at the same rate (target <= 2x): {'MET' if a99 <= 2 * l99 else 'MISSED'}")
print("paced app:   " + sys.argv[7])
print("paced limit: " + sys.argv[8])
PY
