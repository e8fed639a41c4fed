#!/usr/bin/env bash
# Throwaway PostgreSQL server for tests (run as root; needs Debian's postgresql binaries).
#   PGENV=$(bash scripts/pg_test.sh start); eval "$PGENV"   -> exports PGTEST_DIR and DATABASE_URL
#   bash scripts/pg_test.sh stop                            -> stops the server and deletes PGTEST_DIR
set -euo pipefail
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -n "$PGBIN" ] || { echo "pg_test.sh: no PostgreSQL binaries under /usr/lib/postgresql" >&2; exit 1; }
PGPORT=${PGPORT:-$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')}
DB=${PGTEST_DB:-discerntest}
cd /tmp                                  # runuser keeps the cwd; postgres cannot read /root
case "${1:-}" in
start)
  D=$(mktemp -d /tmp/pgtest.XXXXXX)
  trap 'runuser -u postgres -- "$PGBIN/pg_ctl" -D "$D/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$D"' ERR
  chown postgres:postgres "$D"
  echo secret > "$D/pw"; chown postgres "$D/pw"
  runuser -u postgres -- "$PGBIN/initdb" -D "$D/data" -U postgres --pwfile="$D/pw" \
      -A scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$D/initdb.log"
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$D/data" -l "$D/server.log" -w -t 30 \
      -o "-p $PGPORT -c listen_addresses=127.0.0.1 -k $D -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >&2
  PGPASSWORD=secret "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres "$DB"
  echo "export PGTEST_DIR=$D"
  echo "export DATABASE_URL=postgresql+psycopg://postgres:secret@127.0.0.1:$PGPORT/$DB"
  ;;
stop)
  D=${PGTEST_DIR:?PGTEST_DIR not set}
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$D/data" -m fast -w stop >&2 || true
  rm -rf "$D"
  ;;
*) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
