# Shared by the load scripts (bench-http.sh, bench-board.sh): source it, then
#   bench_init NAME TOOL...       checks the tools, makes $tmp, removes it and stops the server on exit
#   bench_serve BIN DB_URL        starts `steward serve` on a free 127.0.0.1 port: sets $pid and $url
#   bench_login USER              signs in (password Steward@2026): sets $session and $cookie
# shellcheck shell=bash

bench_init() {
  BENCH_NAME=$1
  shift
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$BENCH_NAME: $tool is not installed (scripts/install-deps.sh)" >&2; exit 127; }
  done
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/steward-$BENCH_NAME.XXXXXXXX")
  pid=""
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

bench_cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}

bench_serve() {
  "$1" serve --db "$2" --listen 127.0.0.1:0 >"$tmp/server.out" 2>"$tmp/server.err" &
  pid=$!
  url=""
  for _ in $(seq 1 300); do
    url=$(grep -o 'steward listening on http://127\.0\.0\.1:[0-9]*' "$tmp/server.out" 2>/dev/null | head -n1 | sed 's/^steward listening on //') || true
    [ -n "$url" ] && return 0
    kill -0 "$pid" 2>/dev/null || { echo "$BENCH_NAME: steward serve exited:" >&2; cat "$tmp/server.err" >&2; exit 1; }
    sleep 0.1
  done
  echo "$BENCH_NAME: steward serve did not report listening within 30 s" >&2
  cat "$tmp/server.err" >&2
  exit 1
}

bench_login() {
  local status
  status=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -D "$tmp/login.headers" \
    -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"Steward@2026\"}" "$url/api/v1/auth/login")
  session=$(tr -d '\r' <"$tmp/login.headers" | sed -n 's/^[Ss]et-[Cc]ookie: *steward_session=\([^;]*\).*/\1/p' | head -n1)
  if [ "$status" != 200 ] || [ -z "$session" ]; then
    echo "$BENCH_NAME: login as $1 failed (HTTP $status)" >&2
    exit 1
  fi
  cookie="Cookie: steward_session=$session"
}
