#!/usr/bin/env bash
# Makes PostgreSQL answer on 127.0.0.1:5432 for user postgres without a password, idempotently:
# already running -> nothing; installed but stopped -> start it; absent -> install the Debian
# package, allow trusted local TCP connections, start it. Exits non-zero if it cannot.
set -euo pipefail

HOST=127.0.0.1
PORT=5432

ready() { pg_isready -q -h "$HOST" -p "$PORT" 2>/dev/null && psql -h "$HOST" -p "$PORT" -U postgres -d postgres -Atc 'SELECT 1' >/dev/null 2>&1; }

wait_ready() {
  for _ in $(seq 1 60); do ready && return 0; sleep 0.5; done
  return 1
}

if command -v pg_isready >/dev/null 2>&1 && ready; then
  echo "postgres: already running on $HOST:$PORT"
  exit 0
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
  echo "postgres: installing the Debian package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  INSTALLED_HERE=1
fi

VERSION="$(ls /etc/postgresql | sort -V | tail -1)"
HBA="/etc/postgresql/$VERSION/main/pg_hba.conf"
# Trust local TCP connections (tests and the default URL connect as postgres without a password).
if ! grep -q '^host all all 127.0.0.1/32 trust' "$HBA"; then
  if [ "${INSTALLED_HERE:-0}" = 1 ] || ! psql -h "$HOST" -U postgres -d postgres -Atc 'SELECT 1' >/dev/null 2>&1; then
    sed -i '1i host all all 127.0.0.1/32 trust' "$HBA"
  fi
fi

echo "postgres: starting cluster $VERSION/main"
pg_ctlcluster --skip-systemctl-redirect "$VERSION" main start 2>/dev/null || pg_ctlcluster --skip-systemctl-redirect "$VERSION" main reload 2>/dev/null || true
if wait_ready; then
  echo "postgres: ready on $HOST:$PORT"
else
  echo "postgres: could not be started" >&2
  exit 1
fi
