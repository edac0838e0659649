#!/usr/bin/env bash
# A Zipkin server (in-memory storage) on 127.0.0.1:9411 for the tracing suite, idempotently:
# fetches io.zipkin:zipkin-server:3.4.2 (the exec jar) from Maven Central with mvn (once) and
# starts it if nothing answers on the port. Exits non-zero if it cannot.
# ZIPKIN_HOME (default /var/lib/orchestrator/zipkin) holds the jar and its log.
set -euo pipefail

ZIPKIN_HOME="${ZIPKIN_HOME:-/var/lib/orchestrator/zipkin}"
PORT="${ZIPKIN_PORT:-9411}"
VERSION=3.4.2
JAR="$ZIPKIN_HOME/zipkin-server-$VERSION-exec.jar"

answering() { curl -fsS -m 3 -o /dev/null "http://127.0.0.1:$PORT/health" 2>/dev/null; }

if answering; then
  echo "zipkin: already answering on 127.0.0.1:$PORT"
  exit 0
fi
# A server of ours that no longer answers (wedged, e.g. out of heap) is stopped before starting anew.
if pgrep -f "zipkin-server-$VERSION-exec.jar" >/dev/null; then
  echo "zipkin: a server that does not answer is running; restarting it"
  pkill -f "zipkin-server-$VERSION-exec.jar" || true
  for _ in $(seq 1 20); do pgrep -f "zipkin-server-$VERSION-exec.jar" >/dev/null || break; sleep 0.5; done
  pkill -9 -f "zipkin-server-$VERSION-exec.jar" || true
  sleep 1
fi

command -v java >/dev/null || { echo "zipkin: java is missing (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
mkdir -p "$ZIPKIN_HOME"
if [ ! -f "$JAR" ]; then
  command -v mvn >/dev/null || { echo "zipkin: mvn is missing (apt-get install maven)" >&2; exit 1; }
  echo "zipkin: fetching zipkin-server $VERSION from Maven Central"
  mvn -q -B -Dstyle.color=never dependency:copy -Dartifact="io.zipkin:zipkin-server:$VERSION:jar:exec" -DoutputDirectory="$ZIPKIN_HOME" -Dmdep.stripVersion=false
fi

echo "zipkin: starting on 127.0.0.1:$PORT"
# In-memory storage keeps at most 100,000 spans (the oldest traces dropped), well within the heap:
# a benchmark with tracing on sends some 40,000 spans a run.
nohup java -Xms128m -Xmx768m -jar "$JAR" --server.address=127.0.0.1 --server.port="$PORT" --zipkin.storage.type=mem --zipkin.storage.mem.max-spans=100000 >"$ZIPKIN_HOME/server.log" 2>&1 &
echo $! >"$ZIPKIN_HOME/server.pid"
for _ in $(seq 1 180); do
  if answering; then
    echo "zipkin: ready"
    exit 0
  fi
  sleep 0.5
done
echo "zipkin: did not start; see $ZIPKIN_HOME/server.log" >&2
tail -20 "$ZIPKIN_HOME/server.log" >&2
exit 1
