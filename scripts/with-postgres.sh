#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 cluster on 127.0.0.1:
#   scripts/with-postgres.sh CMD [ARGS...]
# The cluster lives in a fresh temporary directory, listens on a free loopback port, and is stopped and removed
# when the command ends (whatever its outcome). The command sees
#   STEWARD_TEST_PG=postgresql://steward@127.0.0.1:PORT/postgres   (role steward, trust authentication)
#   STEWARD_TEST_PG_RESTART  a shell command that restarts the cluster (same port), for tests of a server restart
# Tests run it without durability (fsync=off, synchronous_commit=off); WITH_PG_OPTIONS adds server options after
# those, e.g. WITH_PG_OPTIONS='-c fsync=on -c synchronous_commit=on -c full_page_writes=on' for benchmarks.
# and the script exits with the command's status. PostgreSQL refuses to run as root, so under root the cluster
# runs as the `postgres` system user (or a dedicated `steward-pg` user created on first use).
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [ $# -eq 0 ]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi
for b in initdb pg_ctl; do
  if [ ! -x "$PG_BIN/$b" ]; then
    echo "with-postgres: $PG_BIN/$b not found; install postgresql-15 (scripts/install-deps.sh) or set PG_BIN" >&2
    exit 127
  fi
done

# Who runs the cluster.
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  pg_user=postgres
  if ! id -u "$pg_user" >/dev/null 2>&1; then
    pg_user=steward-pg
    if ! id -u "$pg_user" >/dev/null 2>&1; then
      useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$pg_user"
    fi
  fi
  if command -v runuser >/dev/null; then
    run_as=(runuser -u "$pg_user" --)
  else
    run_as=(setpriv --reuid="$pg_user" --regid="$(id -g "$pg_user")" --clear-groups --)
  fi
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/steward-pg.XXXXXXXX")
chmod 700 "$tmp"
[ ${#run_as[@]} -eq 0 ] || chown "$pg_user" "$tmp"
data="$tmp/data"
log="$tmp/postgres.log"

started=0
# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  if [ "$started" = 1 ]; then
    (cd "$tmp" && "${run_as[@]}" "$PG_BIN/pg_ctl" -D "$data" -m fast -t 30 stop >/dev/null 2>&1) ||
      (cd "$tmp" && "${run_as[@]}" "$PG_BIN/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1) || true
  fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# The server's cwd must be readable by its user; run from inside the temporary directory.
pg() { (cd "$tmp" && "${run_as[@]}" "$@"); }

if ! pg "$PG_BIN/initdb" -D "$data" -A trust -U steward -E UTF8 --locale=C --no-sync >"$tmp/initdb.log" 2>&1; then
  echo "with-postgres: initdb failed:" >&2
  cat "$tmp/initdb.log" >&2
  exit 1
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Pick a free port; another process may take it between the probe and the start, so retry a few times.
port=""
for _ in 1 2 3 4 5 6 7 8; do
  candidate=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
  port_in_use "$candidate" && continue
  if pg "$PG_BIN/pg_ctl" -D "$data" -l "$log" -w -t 60 -s \
    -o "-c listen_addresses=127.0.0.1 -c port=$candidate -c unix_socket_directories='$tmp' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 ${WITH_PG_OPTIONS:-}" \
    start; then
    port=$candidate
    started=1
    break
  fi
done
if [ -z "$port" ]; then
  echo "with-postgres: could not start PostgreSQL; last log lines:" >&2
  tail -n 30 "$log" >&2 || true
  exit 1
fi

export STEWARD_TEST_PG="postgresql://steward@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL 15 on 127.0.0.1:$port (STEWARD_TEST_PG=$STEWARD_TEST_PG)" >&2
# pg_ctl restart keeps the start options (postmaster.opts): same port, same settings.
STEWARD_TEST_PG_RESTART="cd $(printf %q "$tmp") &&$(printf ' %q' "${run_as[@]}" "$PG_BIN/pg_ctl" -D "$data" -l "$log" -w -t 60 -s -m fast restart)"
export STEWARD_TEST_PG_RESTART

set +e
"$@"
status=$?
set -e
exit "$status"
