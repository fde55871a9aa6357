#!/usr/bin/env bash
# scripts/lib/postgres.sh — a throwaway PostgreSQL 15 cluster for the test suites.
#
# Sourced by scripts/test. The cluster lives in a fresh mktemp directory, listens on
# 127.0.0.1 only, trusts every local connection (superuser `postgres`, no password) and
# runs with fsync off: it holds nothing worth keeping, and starts in about 2 seconds.
#
#   pg_start            initdb + start; exports GOTONG_TEST_POSTGRES_URL
#   pg_create_db NAME   CREATE DATABASE NAME in that cluster
#   pg_stop             stop the cluster and delete its directory (safe to call twice)
#
# Settings (environment): GOTONG_PG_PORT (default 55432), GOTONG_PG_BIN (default
# /usr/lib/postgresql/15/bin, where Debian's `postgresql` package puts the server).
set -euo pipefail

GOTONG_PG_PORT=${GOTONG_PG_PORT:-55432}
GOTONG_PG_BIN=${GOTONG_PG_BIN:-/usr/lib/postgresql/15/bin}
# Every cluster directory is made from this template, so a later run can find the leftovers
# of a run that was killed before it could clean up (kill -9, a lost CI machine).
_PG_DIR_GLOB="${TMPDIR:-/tmp}/gotong-pg.*"

# PostgreSQL refuses to run as root, so as root we run its binaries as the `postgres` user
# (created by the Debian package). As an ordinary user we run them as ourselves. The `cd`
# keeps postgres from warning that it cannot read the caller's working directory.
_pg_run() {
  local dir=$1; shift
  if [[ $(id -u) -eq 0 ]]; then
    (cd "$dir" && runuser -u postgres -- "$@")
  else
    (cd "$dir" && "$@")
  fi
}

# True when something accepts TCP connections on 127.0.0.1:$1 (bash's /dev/tcp, no tools).
_pg_port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A previous run that died without cleaning up can leave a cluster running on our port.
# Only clusters made by this script (directory name gotong-pg.*) and recorded as listening on
# our port are touched; anything else holding the port is reported, never killed.
_pg_reap_stale() {
  local pidfile dir pid port
  for pidfile in $_PG_DIR_GLOB/data/postmaster.pid; do
    [[ -f $pidfile ]] || continue
    dir=${pidfile%/data/postmaster.pid}
    [[ $dir == "${GOTONG_PG_DIR:-}" ]] && continue
    # postmaster.pid: line 1 is the postmaster's pid, line 4 its port.
    pid=$(sed -n 1p "$pidfile")
    port=$(sed -n 4p "$pidfile")
    [[ $port == "$GOTONG_PG_PORT" ]] || continue
    echo "postgres: stopping a stale test cluster from an earlier run ($dir, pid $pid)" >&2
    if kill -0 "$pid" 2>/dev/null; then
      _pg_run "$dir" "$GOTONG_PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 20 stop \
        >/dev/null 2>&1 || kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
  done
}

pg_start() {
  local dir log
  if [[ -n ${GOTONG_PG_DIR:-} ]]; then
    echo "postgres: already started ($GOTONG_PG_DIR)" >&2
    return 1
  fi
  if [[ ! -x $GOTONG_PG_BIN/initdb ]]; then
    echo "postgres: $GOTONG_PG_BIN/initdb not found (install the Debian package postgresql)" >&2
    return 1
  fi

  _pg_reap_stale
  if _pg_port_in_use "$GOTONG_PG_PORT"; then
    echo "postgres: port $GOTONG_PG_PORT on 127.0.0.1 is taken by a process this script did" \
         "not start; stop it or choose another port with GOTONG_PG_PORT=..." >&2
    if command -v ss >/dev/null 2>&1; then ss -ltnp "sport = :$GOTONG_PG_PORT" >&2 || true; fi
    return 1
  fi

  dir=$(mktemp -d "${TMPDIR:-/tmp}/gotong-pg.XXXXXX")
  # mktemp makes the directory 0700 for us; the server user must own it.
  if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$dir"; fi
  export GOTONG_PG_DIR=$dir
  log=$dir/setup.log

  # --no-sync and fsync/synchronous_commit/full_page_writes off: durability is worthless
  # for a cluster deleted at the end, and these make initdb and the tests much faster.
  # max_connections is raised because the Swift tests open pools against several databases.
  if ! _pg_run "$dir" "$GOTONG_PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
         --locale=C.UTF-8 --no-sync >"$log" 2>&1 ||
     ! _pg_run "$dir" "$GOTONG_PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
         -o "-p $GOTONG_PG_PORT -k $dir -c listen_addresses=127.0.0.1 -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off -c max_connections=600" \
         start >>"$log" 2>&1; then
    echo "postgres: failed to start the test cluster:" >&2
    cat "$log" >&2
    [[ -f $dir/server.log ]] && tail -n 30 "$dir/server.log" >&2
    pg_stop
    return 1
  fi

  export GOTONG_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$GOTONG_PG_PORT/postgres"
  echo "postgres: test cluster up on 127.0.0.1:$GOTONG_PG_PORT ($dir)"
}

# pg_create_db NAME — one statement per psql -c: CREATE DATABASE cannot run in a transaction.
pg_create_db() {
  local name=${1:?usage: pg_create_db NAME}
  # The name goes into SQL unquoted, so accept plain identifiers only.
  if [[ ! $name =~ ^[a-z_][a-z0-9_]*$ ]]; then
    echo "postgres: invalid database name '$name' (use [a-z_][a-z0-9_]*)" >&2
    return 1
  fi
  psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$GOTONG_PG_PORT" -U postgres -d postgres \
    -c "CREATE DATABASE $name"
}

pg_stop() {
  local dir=${GOTONG_PG_DIR:-}
  [[ -n $dir ]] || return 0
  if [[ -f $dir/data/postmaster.pid ]]; then
    # immediate: no checkpoint, nothing to save.
    _pg_run "$dir" "$GOTONG_PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 20 stop \
      >/dev/null 2>&1 || echo "postgres: pg_ctl stop failed for $dir" >&2
  fi
  rm -rf "$dir"
  unset GOTONG_PG_DIR GOTONG_TEST_POSTGRES_URL
}
