#!/usr/bin/env bash
# HTTP load test on loopback: scripts/bench-http.sh STEWARD_BIN
# Serves the demo data from a temporary SQLite database on a free 127.0.0.1 port, then runs wrk
# (2 threads, 64 keep-alive connections, BENCH_DURATION, default 10s) against
#   GET /api/v1/health                       (no auth)
#   GET /api/v1/projects?page_size=20        (signed in as hq: the Cookie comes from a curl login)
# and prints the req/s and latency lines. The server and the temporary files are removed on exit.
set -euo pipefail

BIN=${1:-}
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
  echo "usage: $0 STEWARD_BIN   (an executable steward binary, e.g. build/steward)" >&2
  exit 2
fi
DURATION=${BENCH_DURATION:-10s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-64}

# shellcheck source=scripts/bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"
bench_init bench-http wrk curl

db="sqlite:$tmp/steward.db"
"$BIN" migrate --db "$db" >/dev/null
"$BIN" demo --db "$db" >/dev/null
bench_serve "$BIN" "$db"

bench_login hq
cat >"$tmp/auth.lua" <<LUA
wrk.headers["Cookie"] = "steward_session=$session"
wrk.headers["Accept"] = "application/json"
LUA

projects_status=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -H "Cookie: steward_session=$session" \
  "$url/api/v1/projects?page_size=20")

run() { # name, then wrk arguments
  local name=$1
  shift
  echo "== $name"
  timeout 120 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" >"$tmp/wrk.out" 2>&1 || {
    echo "wrk failed:"; cat "$tmp/wrk.out"; return 1; }
  grep -E 'Latency|Requests/sec|Transfer/sec|requests in|Non-2xx|Socket errors|^ +(50|75|90|99)%' "$tmp/wrk.out"
}

echo "$("$BIN" version 2>/dev/null | head -n1) on $url, sqlite, demo data; wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
run "GET /api/v1/health" "$url/api/v1/health"
[ "$projects_status" = 200 ] || echo "note: GET /api/v1/projects answers HTTP $projects_status; its numbers below measure that answer"
run "GET /api/v1/projects?page_size=20 (signed in as hq)" -s "$tmp/auth.lua" "$url/api/v1/projects?page_size=20"

# The web UI from memory: index.html and the largest asset, gzipped as a browser asks for them.
if curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "$url/" | grep -q 200; then
  asset=$(curl -sS --max-time 5 "$url/" | grep -o '/assets/[^"]*\.js' | head -n1)
  echo 'wrk.headers["Accept-Encoding"] = "gzip, br"' >"$tmp/gzip.lua"
  run "GET / (index.html, gzip)" -s "$tmp/gzip.lua" "$url/"
  [ -n "$asset" ] && run "GET $asset (gzip)" -s "$tmp/gzip.lua" "$url$asset"
fi

# Durable report submissions (and the dashboard at county size) are in scripts/bench-board.sh.

# /health while a sign-in flood runs. Each sign-in of an unknown name costs one argon2id hash (~0.17 s of a core).
# The flood comes from one address and is over its rate limit after 120; the server below is the same one, so this
# measures the lane isolation and the limit together, as a county would see an attack.
cat >"$tmp/flood.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  return wrk.format(nil, nil, nil, '{"username":"flood' .. math.random(1, 1000000000) .. '","password":"Wrong#pass1"}')
end
LUA
for n in 16 48; do
  timeout 60 wrk -t1 -c"$n" -d12s -s "$tmp/flood.lua" "$url/api/v1/auth/login" >"$tmp/flood.out" 2>&1 &
  flood=$!
  sleep 1
  echo "== GET /api/v1/health during $n parallel sign-ins"
  timeout 60 wrk -t1 -c4 -d8s --latency "$url/api/v1/health" 2>&1 | grep -E 'Requests/sec|^ +(50|99)%'
  wait "$flood" || true
  grep -E 'Requests/sec|Non-2xx' "$tmp/flood.out" | sed 's/^/   sign-ins: /'
done
