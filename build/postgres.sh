#!/usr/bin/env bash
# A PostgreSQL server on 127.0.0.1:5432 for the PostgreSQL event store's tests.
#
#   eval "$(bash build/postgres.sh)"   install when missing, start, create role/database kobbopay, wait until
#                                      ready, then print (on stdout, nothing else) the two export lines:
#                                      KOBBOPAY_POSTGRES (the connection string) and KOBBOPAY_REQUIRE_POSTGRES=1
#   bash build/postgres.sh stop        stop the server (the tests' "database down mid-run" case)
#   bash build/postgres.sh start       start it again and wait until it accepts connections
#   bash build/postgres.sh status      print whether it accepts connections
#
# Works as root in a fresh Debian container without systemd (the cluster runs as the postgres user through
# pg_ctlcluster). Progress goes to stderr so that stdout stays eval-able.
# Settings (environment): KOBBOPAY_PG_PORT (5432), KOBBOPAY_PG_USER / KOBBOPAY_PG_PASSWORD / KOBBOPAY_PG_DB (kobbopay).
set -euo pipefail

port="${KOBBOPAY_PG_PORT:-5432}"
user="${KOBBOPAY_PG_USER:-kobbopay}"
password="${KOBBOPAY_PG_PASSWORD:-kobbopay}"
db="${KOBBOPAY_PG_DB:-kobbopay}"
cluster=main

log() { echo "postgres.sh: $*" >&2; }
die() { log "$*"; exit 1; }

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    # runuser needs no password and no tty; su is the fallback on images without it.
    # From /, which the postgres user can always enter (a clone in a private temp dir it cannot).
    if command -v runuser >/dev/null; then (cd / && runuser -u postgres -- "$@"); else (cd / && su postgres -s /bin/sh -c "$(printf '%q ' "$@")"); fi
  elif [ "$(id -un)" = postgres ]; then
    "$@"
  else
    sudo -n -u postgres -- "$@"
  fi
}

install_if_missing() {
  if command -v pg_ctlcluster >/dev/null && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    return
  fi
  [ "$(id -u)" -eq 0 ] || die "PostgreSQL is not installed and installing it needs root (apt-get install -y postgresql)."
  log "installing PostgreSQL from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
}

version() {
  # The newest installed major version.
  ls -1 /usr/lib/postgresql | sort -n | tail -n 1
}

ensure_cluster() {
  local v="$1"
  if ! pg_lsclusters -h 2>/dev/null | awk -v v="$v" -v c="$cluster" '$1 == v && $2 == c { found = 1 } END { exit !found }'; then
    log "creating cluster $v/$cluster on port $port"
    pg_createcluster "$v" "$cluster" --port "$port" >&2
  fi
  local conf="/etc/postgresql/$v/$cluster/postgresql.conf"
  # Loopback only, on the port asked for; the Debian pg_hba.conf already allows scram-sha-256 on 127.0.0.1/32.
  [ -f "$conf" ] || die "no $conf"
  pg_conftool "$v" "$cluster" remove listen_addresses >&2 || true
  pg_conftool "$v" "$cluster" set port "$port" >&2
  mkdir -p "/etc/postgresql/$v/$cluster/conf.d"
  printf "listen_addresses = '127.0.0.1'\n" >"/etc/postgresql/$v/$cluster/conf.d/kobbopay.conf"
}

wait_ready() {
  for _ in $(seq 1 60); do
    if pg_isready -q -h 127.0.0.1 -p "$port" -t 1 2>/dev/null; then
      return 0
    fi
    sleep 0.5
  done
  die "PostgreSQL did not accept connections on 127.0.0.1:$port within 30 s; see /var/log/postgresql/"
}

start() {
  local v="$1"
  if pg_isready -q -h 127.0.0.1 -p "$port" -t 1 2>/dev/null; then
    return 0
  fi
  log "starting cluster $v/$cluster"
  # pg_ctlcluster runs pg_ctl as the cluster's owner; without systemd it starts the server directly.
  pg_ctlcluster "$v" "$cluster" start >&2 || die "pg_ctlcluster $v $cluster start failed; see /var/log/postgresql/postgresql-$v-$cluster.log"
  wait_ready
}

stop() {
  local v="$1"
  log "stopping cluster $v/$cluster"
  pg_ctlcluster "$v" "$cluster" stop -m fast >&2 || true
  for _ in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p "$port" -t 1 2>/dev/null || return 0
    sleep 0.5
  done
  die "PostgreSQL on 127.0.0.1:$port did not stop within 30 s"
}

ensure_role_and_db() {
  local sql_password="${password//\'/\'\'}"
  as_postgres psql -v ON_ERROR_STOP=1 -q -p "$port" -d postgres >&2 <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$user') THEN
    CREATE ROLE "$user" LOGIN PASSWORD '$sql_password';
  ELSE
    ALTER ROLE "$user" LOGIN PASSWORD '$sql_password';
  END IF;
END
\$\$;
SQL
  if ! as_postgres psql -tA -p "$port" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    as_postgres createdb -p "$port" -O "$user" "$db" >&2
  fi
}

cmd="${1:-up}"
case "$cmd" in
  up)
    install_if_missing
    v="$(version)"
    ensure_cluster "$v"
    start "$v"
    ensure_role_and_db
    log "ready on 127.0.0.1:$port (PostgreSQL $v), database $db, role $user"
    echo "export KOBBOPAY_POSTGRES='Host=127.0.0.1;Port=$port;Username=$user;Password=$password;Database=$db'"
    echo "export KOBBOPAY_REQUIRE_POSTGRES=1"
    ;;
  start)
    v="$(version)"
    start "$v"
    ;;
  stop)
    v="$(version)"
    stop "$v"
    ;;
  status)
    if pg_isready -q -h 127.0.0.1 -p "$port" -t 1 2>/dev/null; then echo up; else echo down; exit 1; fi
    ;;
  *)
    die "usage: bash build/postgres.sh [up|start|stop|status]"
    ;;
esac
