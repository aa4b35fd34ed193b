#!/usr/bin/env bash
# The county dashboard and durable report submissions under load, on loopback:
#   scripts/bench-board.sh STEWARD_BIN SEED_BIN [DB_URL]
# DB_URL: an empty PostgreSQL database (postgresql://...), or nothing for a temporary SQLite file. The database is
# migrated, given the demo county, then grown by SEED_BIN (build/steward_bench_seed, bench/seed_reports.cpp) to
# 1,000 projects with five years of monthly reports. Then, against `steward serve` on a free 127.0.0.1 port,
# signed in as hq, wrk (BENCH_DURATION, default 10s) measures
#   GET /api/v1/dashboard                       at 1 and 4 connections: req/s, p50, p99, server CPU per request
#   POST /api/v1/projects/{id}/reports          at 1, 16 and 64 connections (answered after the commit)
# Server CPU is the server process's user+system time (/proc/PID/stat) over the run, divided by the requests; on
# PostgreSQL also that of the postmaster's children (the backends), when psql can read where the data directory is.
set -euo pipefail

BIN=${1:-}
SEED=${2:-}
DB_URL=${3:-}
if [ -z "$BIN" ] || [ ! -x "$BIN" ] || [ -z "$SEED" ] || [ ! -x "$SEED" ]; then
  echo "usage: $0 STEWARD_BIN SEED_BIN [DB_URL]   (e.g. build/steward build/steward_bench_seed)" >&2
  exit 2
fi
DURATION=${BENCH_DURATION:-10s}

# shellcheck source=scripts/bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"
bench_init bench-board wrk curl node

db=${DB_URL:-sqlite:$tmp/steward.db}
kind=sqlite
case "$db" in postgres*) kind=postgresql ;; esac
"$BIN" migrate --db "$db" >/dev/null
"$BIN" demo --db "$db" >/dev/null
"$SEED" "$db"
bench_serve "$BIN" "$db"

bench_login hq
dash_status=$(curl -sS --max-time 30 -o "$tmp/dashboard.json" -w '%{http_code}' -H "$cookie" "$url/api/v1/dashboard")
[ "$dash_status" = 200 ] || { echo "bench-board: GET /api/v1/dashboard answers HTTP $dash_status" >&2; exit 1; }

echo "$("$BIN" version 2>/dev/null | head -n1) on $url, $kind; $(nproc) cores; load:$(uptime | sed 's/.*load average://')"
node -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1]));const b=d.board;
console.log(`dashboard: ${d.projects.total} projects; board ${b.year}: done ${b.totals.done} of plan ${b.totals.plan} yuan; ` +
`${b.by_township.length} townships, ${b.by_unit.length} units, ${b.by_chain.length} chains; ${JSON.stringify(d).length} bytes`)' "$tmp/dashboard.json"

cpu() { # the server's user+system clock ticks so far
  awk '{print $14 + $15}' "/proc/$pid/stat"
}
# PostgreSQL: the backends' ticks too (the children of the postmaster; the pool keeps its connections open).
postmaster=""
if [ "$kind" = postgresql ] && command -v psql >/dev/null; then
  pgdata=$(psql -XAtq "$db" -c "SELECT setting FROM pg_settings WHERE name = 'data_directory'" 2>/dev/null) || true
  [ -n "$pgdata" ] && [ -r "$pgdata/postmaster.pid" ] && postmaster=$(head -n1 "$pgdata/postmaster.pid")
fi
dbcpu() {
  [ -n "$postmaster" ] || { echo 0; return; }
  local sum=0 c t
  for c in $(ps -o pid= --ppid "$postmaster"); do
    t=$(awk '{print $14 + $15}' "/proc/$c/stat" 2>/dev/null) || t=0
    sum=$((sum + ${t:-0}))
  done
  echo "$sum"
}
hz=$(getconf CLK_TCK)

run() { # name, threads, connections, then wrk arguments
  local name=$1 t=$2 c=$3
  shift 3
  local before after dbefore dafter n
  echo "== $name, $c connection(s)"
  before=$(cpu)
  dbefore=$(dbcpu)
  timeout 300 wrk -t"$t" -c"$c" -d"$DURATION" --latency "$@" >"$tmp/wrk.out" 2>&1 || {
    echo "wrk failed:"; cat "$tmp/wrk.out"; return 1; }
  after=$(cpu)
  dafter=$(dbcpu)
  grep -E 'Requests/sec|Non-2xx|Socket errors|^ +(50|99)%' "$tmp/wrk.out"
  n=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$tmp/wrk.out")
  [ -n "$n" ] && [ "$n" -gt 0 ] &&
    awk -v t=$((after - before)) -v d=$((dafter - dbefore)) -v pg="$postmaster" -v hz="$hz" -v n="$n" 'BEGIN {
      printf "  server CPU %.2f ms per request", t * 1000 / hz / n
      if (pg != "") printf " + PostgreSQL backends %.2f ms", d * 1000 / hz / n
      printf " (%d requests)\n", n }'
}

cat >"$tmp/auth.lua" <<LUA
wrk.headers["Cookie"] = "steward_session=$session"
wrk.headers["Accept"] = "application/json"
LUA
run "GET /api/v1/dashboard" 1 1 -s "$tmp/auth.lua" "$url/api/v1/dashboard"
run "GET /api/v1/dashboard" 2 4 -s "$tmp/auth.lua" "$url/api/v1/dashboard"

# Durable report submissions: each POST /projects/{id}/reports is answered only after its transaction (the report,
# its audit entry) committed. The clients spread over 200 of the county's projects (a resubmission updates the
# period's report, as a liaison's correction does).
csrf=$(curl -sS --max-time 10 -H "$cookie" "$url/api/v1/auth/me" | grep -o '"csrf_token":"[^"]*"' | head -n1 | sed 's/.*:"\(.*\)"/\1/')
ids=$(curl -sS --max-time 10 -H "$cookie" "$url/api/v1/projects?page_size=200" |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items.filter(p=>p.status!=="cancelled").map(p=>p.id).join(",")))')
cat >"$tmp/report.lua" <<LUA
wrk.method = "POST"
wrk.headers["Cookie"] = "steward_session=$session"
wrk.headers["X-CSRF-Token"] = "$csrf"
wrk.headers["Content-Type"] = "application/json"
local ids = { $ids }
local n = 0
request = function()
  n = n + 1
  local id = ids[(n + math.random(0, 1000)) % #ids + 1]
  return wrk.format(nil, "/api/v1/projects/" .. id .. "/reports", nil,
    '{"investment":' .. (10000 * math.random(1, 500)) .. ',"percent":' .. math.random(0, 100) ..
    ',"progress":"主体结构施工","workers":120,"machines":8}')
end
LUA
for c in 1 16 64; do
  run "POST /api/v1/projects/{id}/reports (durable: answered after commit)" $((c < 2 ? c : 2)) "$c" -s "$tmp/report.lua" "$url"
done
grep -c 'retry' "$tmp/server.err" 2>/dev/null | sed 's/^/server log lines mentioning a retry: /' || true
