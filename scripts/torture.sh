#!/usr/bin/env bash
# `make torture`: kill -9 the server at random moments under concurrent writes, on SQLite and then on PostgreSQL
# (a throwaway cluster from scripts/with-postgres.sh); TORTURE_CYCLES cycles each (default 100). Prints writes
# acknowledged, writes lost (must be 0), `steward audit verify` and the integrity check; exits 1 on any loss.
# Loopback only. Not part of `make test`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export STEWARD_BIN=${STEWARD_BIN:-$here/../build/steward}
export TORTURE_CYCLES=${TORTURE_CYCLES:-100}
status=0
STEWARD_TEST_DB=sqlite node "$here/torture.mjs" || status=1
STEWARD_TEST_DB=postgresql "$here/with-postgres.sh" node "$here/torture.mjs" || status=1
exit $status
