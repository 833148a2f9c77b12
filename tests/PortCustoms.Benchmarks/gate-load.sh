#!/usr/bin/env bash
# Gate throughput and latency against its limit, on this machine (scripted, not a test).
#
#   tests/PortCustoms.Benchmarks/gate-load.sh [SECONDS]
#
# Measures the app on PortCustoms.LocalHost (Release) and two bare Kestrel endpoints in the Benchmarks exe that answer
# the same shape, each against Azurite (in memory, same version and options):
#   - the limit: exactly one Table Storage point read per request (the state entity the gate reads);
#   - the storage floor (gate-limit --audit): the gate's own two storage operations and nothing else, the state read
#     and the conditional audit insert through the app's own stores; the best any design that stores each decision
#     before answering can do here.
# Every measurement starts its own fresh Azurite: Azurite keeps everything in one Node.js heap and slows down as it
# fills, so one shared process would charge each side for the other's writes (the gate writes ~20k audit entities a run,
# the limit none). Each stores one RELEASED notification, then sends store-answered gate queries (each with a new
# gateTransactionId, so every app request is a state read plus a conditional audit insert):
#   1. peak throughput of each with wrk (closed loop, 2 threads, 32 connections), and the CPU each process spent per
#      request during that run (from /proc: Azurite is one Node.js thread, so it saturates at one core);
#   2. latency at half the gate's peak with the Benchmarks exe's "paced" mode, an open-loop client that sends at a
#      fixed rate and measures from each request's scheduled start (wrk2 is not available; plain wrk with fewer
#      connections would measure a closed loop, hiding queueing).
# Targets: app throughput >= 80% of the limit's; app p99 at half load <= 2x the limit's p99 at half load.
# Everything runs on loopback and stops by itself; the processes it starts are stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SECONDS_PER_RUN=${1:-20}
WARM_UP=$(( SECONDS_PER_RUN > 15 ? SECONDS_PER_RUN : 15 ))
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
KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
WORK=$(mktemp -d)
PIDS=()
stop_all() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; PIDS=(); }
trap 'stop_all; rm -rf "$WORK"' EXIT
wait_http() { for _ in $(seq 1 120); do curl -s -o /dev/null "$1" && return 0; sleep 0.5; done; echo "not listening: $1" >&2; cat "$WORK"/*.log >&2; exit 2; }

# Every answer must be CLEAR from the store: one that is not (a store read past Gate:StoreTimeout answers HOLD, an
# audit insert past it 503) is counted and reported, so a throughput bought with wrong answers shows.
cat >"$WORK/gate.lua" <<LUA
local next_id = 1
local threads = {}
function setup(thread) thread:set("tid", next_id); next_id = next_id + 1; table.insert(threads, thread) end
function init(args) n = 0; not_clear = 0; run = args[1] or "r" end
function request()
  n = n + 1
  local body = '{"containerNumber":"$CONTAINER","direction":"OUT","gateTransactionId":"W-' .. run .. '-' .. tid .. '-' .. n .. '","terminal":"NLRTM-ECT"}'
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
function response(status, headers, body)
  if status ~= 200 or not string.find(body, '"decision":"CLEAR"', 1, true) then not_clear = not_clear + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("not_clear") end
  io.write(string.format("not CLEAR: %d\n", total))
end
LUA

# start SERVER: a fresh Azurite, then app | limit | floor on it, seeded with one RELEASED notification.
# Sets URL, AZURITE_PID and SERVER_PID.
start() {
  local blob queue table port conn
  blob=$(free_port); queue=$(free_port); table=$(free_port); port=$(free_port)
  conn="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$KEY;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
  node node_modules/azurite/dist/src/azurite.js --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" \
    --tableHost 127.0.0.1 --tablePort "$table" --inMemoryPersistence --skipApiVersionCheck --loose --disableTelemetry --silent >"$WORK/azurite.log" 2>&1 &
  AZURITE_PID=$!; PIDS+=($!)
  case "$1" in
    app)
      dotnet functions/PortCustoms.LocalHost/bin/Release/net10.0/PortCustoms.LocalHost.dll \
        "--LocalHost:Port=$port" "--AzureWebJobsStorage=$conn" "--Logging:LogLevel:Default=Warning" >"$WORK/app.log" 2>&1 &
      SERVER_PID=$!; PIDS+=($!)
      wait_http "http://127.0.0.1:$port/api/v1/health"
      curl -sf -o /dev/null -X POST "http://127.0.0.1:$port/api/v1/customs/notifications" -H 'Content-Type: application/json' \
        -d "{\"notificationId\":\"LOAD-1\",\"containerNumber\":\"$CONTAINER\",\"status\":\"RELEASED\",\"customsReference\":\"24NL0000000000001\",\"issuedAt\":\"2026-11-26T07:10:00Z\"}" ;;
    limit|floor)
      local audit=(); [ "$1" = floor ] && audit=(--audit)
      dotnet tests/PortCustoms.Benchmarks/bin/Release/net10.0/PortCustoms.Benchmarks.dll gate-limit "${audit[@]}" --seed "$CONTAINER" \
        --port "$port" --storage "$conn" >"$WORK/$1.log" 2>&1 &
      SERVER_PID=$!; PIDS+=($!)
      wait_http "http://127.0.0.1:$port/" ;;
  esac
  URL="http://127.0.0.1:$port/api/v1/gate/queries"
  local answer
  answer=$(curl -sf -X POST "$URL" -H 'Content-Type: application/json' -d "{\"containerNumber\":\"$CONTAINER\",\"direction\":\"OUT\",\"gateTransactionId\":\"CHECK-$RANDOM\",\"terminal\":\"NLRTM-ECT\"}")
  echo "$answer" | grep -q '"decision":"CLEAR".*"source":"STORE"' || { echo "unexpected answer from $1: $answer" >&2; exit 2; }
  # A fresh .NET process needs more than a few seconds of load before tiered JIT settles on two busy cores (measured: the
  # first paced run after a 5 s warm-up had a p99 of 0.7 s, the next ones 23-52 ms).
  wrk -t2 -c16 -d"${WARM_UP}s" -s "$WORK/gate.lua" "$URL" -- "warm-$1" >/dev/null
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICKS=$(getconf CLK_TCK)
peak() { # label -> "requests/s azurite-cpu-ms-per-request server-cpu-ms-per-request", on the server start() started
  local a0 s0 a1 s1 out requests rate
  a0=$(cpu_ticks "$AZURITE_PID"); s0=$(cpu_ticks "$SERVER_PID")
  out=$(wrk -t2 -c32 -d"${SECONDS_PER_RUN}s" --timeout 10s -s "$WORK/gate.lua" "$URL" -- "$1-$RANDOM")
  a1=$(cpu_ticks "$AZURITE_PID"); s1=$(cpu_ticks "$SERVER_PID")
  echo "$out" >"$WORK/wrk-$1.txt"
  if echo "$out" | grep -q "Non-2xx"; then echo "$1: non-2xx answers:" >&2; echo "$out" >&2; fi
  if ! echo "$out" | grep -q "^not CLEAR: 0$"; then echo "$1: answers other than CLEAR: $(echo "$out" | sed -n 's/^not CLEAR: //p')" >&2; fi
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  rate=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  python3 -c "print($rate, ($a1-$a0)*1000/$TICKS/$requests, ($s1-$s0)*1000/$TICKS/$requests)"
}
paced() { # rate -> the paced client's summary line, against the server start() started
  dotnet tests/PortCustoms.Benchmarks/bin/Release/net10.0/PortCustoms.Benchmarks.dll paced --url "$URL" --rate "$1" --duration "$SECONDS_PER_RUN" --container "$CONTAINER" || true
}

echo "Peak throughput (wrk -t2 -c32, ${SECONDS_PER_RUN}s each, after a ${WARM_UP}s warm-up)..." >&2
start app;   read -r APP_PEAK APP_AZ APP_CPU <<<"$(peak app)";       stop_all
start limit; read -r LIMIT_PEAK LIMIT_AZ LIMIT_CPU <<<"$(peak limit)"; stop_all
start floor; read -r FLOOR_PEAK FLOOR_AZ FLOOR_CPU <<<"$(peak floor)"; stop_all

HALF=$(python3 -c "print(round($APP_PEAK/2))")
echo "Latency at half the gate's peak, $HALF req/s, offered to both (open-loop, ${SECONDS_PER_RUN}s each)..." >&2
start app;   APP_PACED=$(paced "$HALF");   stop_all
start limit; LIMIT_PACED=$(paced "$HALF"); stop_all

p() { echo "$1" | sed -n "s/.* $2=\([0-9.]*\) ms.*/\1/p"; }
python3 - "$APP_PEAK" "$LIMIT_PEAK" "$FLOOR_PEAK" "$(p "$APP_PACED" p50)" "$(p "$APP_PACED" p99)" "$(p "$LIMIT_PACED" p50)" "$(p "$LIMIT_PACED" p99)" \
  "$APP_AZ" "$APP_CPU" "$LIMIT_AZ" "$LIMIT_CPU" "$FLOOR_AZ" "$FLOOR_CPU" "$APP_PACED" "$LIMIT_PACED" <<'PY'
import sys
app, limit, floor, a50, a99, l50, l99, app_az, app_cpu, limit_az, limit_cpu, floor_az, floor_cpu = (float(x) for x in sys.argv[1:14])
ratio = app / limit
print(f"gate (LocalHost, state read + audit insert): {app:6.0f} req/s  CPU/request: Azurite {app_az:.2f} ms, server {app_cpu:.2f} ms  at {app/2:.0f} req/s: p50 {a50:.2f} ms  p99 {a99:.2f} ms")
print(f"limit (one point read, its own Azurite):    {limit:6.0f} req/s  CPU/request: Azurite {limit_az:.2f} ms, server {limit_cpu:.2f} ms  at {app/2:.0f} req/s: p50 {l50:.2f} ms  p99 {l99:.2f} ms")
print(f"storage floor (read + audit insert, bare):   {floor:6.0f} req/s  CPU/request: Azurite {floor_az:.2f} ms, server {floor_cpu:.2f} ms")
print(f"throughput ratio {ratio:.0%} of the limit (target >= 80%): {'MET' if ratio >= 0.8 else 'MISSED'}")
print(f"  the gate is {app/floor:.0%} of the storage floor; the floor is {floor/limit:.0%} of the limit (what storing each decision costs here)")
print(f"p99 at half the gate's peak {a99/l99:.2f}x the limit's at the same rate (target <= 2x): {'MET' if a99 <= 2 * l99 else 'MISSED'}")
print("paced app:   " + sys.argv[14])
print("paced limit: " + sys.argv[15])
PY
