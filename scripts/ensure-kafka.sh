#!/usr/bin/env bash
# A single-node Kafka broker (KRaft: broker and controller in one process) on 127.0.0.1:9092,
# idempotently: fetches Apache Kafka and its dependencies from Maven Central with mvn (once),
# formats a log directory (once) and starts the broker if nothing answers on the port.
# Exits non-zero if it cannot. KAFKA_HOME (default /var/lib/orchestrator/kafka) holds it all.
set -euo pipefail
cd "$(dirname "$0")/.."

KAFKA_HOME="${KAFKA_HOME:-/var/lib/orchestrator/kafka}"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
LIB="$KAFKA_HOME/lib"
DATA="$KAFKA_HOME/data"
PROPS="$KAFKA_HOME/server.properties"

answering() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

if answering; then
  echo "kafka: already answering on 127.0.0.1:$PORT"
  exit 0
fi

command -v java >/dev/null || { echo "kafka: java is missing (apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
if [ ! -f "$LIB/.complete" ]; then
  command -v mvn >/dev/null || { echo "kafka: mvn is missing (apt-get install maven)" >&2; exit 1; }
  echo "kafka: fetching the broker from Maven Central"
  mkdir -p "$LIB"
  mvn -q -B -Dstyle.color=never -f scripts/kafka/pom.xml dependency:copy-dependencies -DoutputDirectory="$LIB" -DincludeScope=runtime
  touch "$LIB/.complete"
fi

mkdir -p "$DATA"
cat >"$PROPS" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$DATA
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPERTIES

CP="$LIB/*"
if [ ! -f "$DATA/meta.properties" ]; then
  CLUSTER_ID="$(java -cp "$CP" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
  java -cp "$CP" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$PROPS" >/dev/null 2>&1
fi

echo "kafka: starting on 127.0.0.1:$PORT"
nohup java -Xms256m -Xmx512m -cp "$CP" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn kafka.Kafka "$PROPS" >"$KAFKA_HOME/broker.log" 2>&1 &
echo $! >"$KAFKA_HOME/broker.pid"
for _ in $(seq 1 120); do
  if answering; then
    echo "kafka: ready"
    exit 0
  fi
  sleep 0.5
done
echo "kafka: did not start; see $KAFKA_HOME/broker.log" >&2
tail -20 "$KAFKA_HOME/broker.log" >&2
exit 1
