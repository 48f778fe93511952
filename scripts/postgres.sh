#!/usr/bin/env bash
# A throwaway PostgreSQL for the SQL replay-store tests, on 127.0.0.1, a free port, a temp
# data dir, as a non-root user (root runs it as `postgres` through runuser).
#
#   scripts/postgres.sh start DIR   -> initdb DIR (once), start; prints the DSN on stdout
#   scripts/postgres.sh stop DIR    -> fast shutdown (the data dir stays: `start` again resumes)
#   scripts/postgres.sh destroy DIR -> stop and remove DIR
#
# PG_PORT picks the port (a restart on the same port, for the outage tests).
# DSN: postgresql://hooksig@127.0.0.1:<port>/hooksig (trust authentication, local only).
# PG_BIN overrides /usr/lib/postgresql/15/bin. Debian: apt-get install postgresql.
set -euo pipefail
cmd=${1:?usage: postgres.sh start|stop|destroy DIR}
dir=${2:?usage: postgres.sh start|stop|destroy DIR}
bin=${PG_BIN:-}
if [ -z "$bin" ]; then
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bin=$d; done
fi
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "postgres.sh: no initdb (apt-get install postgresql)" >&2
  exit 2
fi

as_owner() {
  # runuser lives in /usr/sbin, which a minimal PATH (CI, env -i) does not hold.
  if [ "$(id -u)" = 0 ]; then /usr/sbin/runuser -u postgres -- "$@"; else "$@"; fi
}

case $cmd in
  start)
    if [ ! -s "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"
      if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
      chmod 700 "$dir"
      as_owner "$bin/initdb" -D "$dir" -U hooksig -A trust -E UTF8 --no-sync >"$dir.initdb.log" 2>&1 \
        || { cat "$dir.initdb.log" >&2; exit 1; }
    fi
    port=${PG_PORT:-}
    [ -n "$port" ] || port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_owner "$bin/pg_ctl" -D "$dir" -w -t 30 -l "$dir/server.log" \
      -o "-h 127.0.0.1 -p $port -k $dir -F -c fsync=off -c max_connections=50" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    exists=$(as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U hooksig -d postgres -qAtc \
      "SELECT 1 FROM pg_database WHERE datname='hooksig'")
    [ "$exists" = 1 ] || as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U hooksig hooksig
    echo "postgresql://hooksig@127.0.0.1:$port/hooksig"
    ;;
  stop)
    if [ -s "$dir/postmaster.pid" ]; then as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null; fi
    ;;
  destroy)
    if [ -s "$dir/postmaster.pid" ]; then as_owner "$bin/pg_ctl" -D "$dir" -m immediate -w stop >/dev/null || true; fi
    rm -rf "$dir" "$dir.initdb.log"
    ;;
  *) echo "usage: postgres.sh start|stop|destroy DIR" >&2; exit 2 ;;
esac
