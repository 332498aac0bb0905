#!/usr/bin/env bash
# Where the Java CPU of order intake goes (issue 28: "profile first, then change"): the service under POST /order at
# 32 connections, async-profiler (Maven Central, tools.profiler:async-profiler) attached for the measured 20 s only,
# after the sync and a warm-up of WARMUP_S seconds (default 60: with the bench's JIT options the compiler still took
# a third of the CPU 30 s into the load, and was done by about 40 s), then VACUUM (autovacuum is off here).
# Writes bench/results/profile-intake-<label>.html (a flame graph) and a breakdown by layer (bench/results/profile-intake-<label>.md) from its collapsed stacks.
#   bench/profile.sh [label]        label defaults to the commit
# Run it on a quiet machine: a profile beside another job's build says nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
LABEL=${1:-$(git rev-parse --short HEAD)}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
pg_isready -h 127.0.0.1 -q || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
rabbitmqctl -q status >/dev/null 2>&1 || rabbitmq-server -detached
rabbitmqctl -q --timeout 120 await_startup
[ -n "${BENCH_JAR:-}" ] || mvn -B -q package -DskipTests
AP_VERSION=4.1
mvn -B -q dependency:get -Dartifact=tools.profiler:async-profiler:$AP_VERSION >/dev/null
TMP=bench/results/tmp/profile
rm -rf "$TMP" && mkdir -p "$TMP"
(cd "$TMP" && unzip -q -o ~/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar 'linux-x64/*')
LIB=$(pwd)/$TMP/linux-x64/libasyncProfiler.so
cp "${BENCH_JAR:-target/order-aggregator.jar}" "$TMP/app.jar"
export MALLOC_ARENA_MAX=2
OPTS=${PROFILE_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC -XX:-TieredCompilation -XX:CICompilerCount=1 -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=2000}
PSQL="psql -h 127.0.0.1 -U postgres -qtA"
PORT=18099
PRODUCTS=5000
DB="profile_$(date +%s)"
APP=""
cleanup() {
  [ -z "$APP" ] || kill "$APP" 2>/dev/null || true
  $PSQL -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rabbitmqctl -q delete_vhost "$DB" >/dev/null 2>&1 || true
}
trap cleanup EXIT
$PSQL -c "CREATE DATABASE $DB"
rabbitmqctl -q add_vhost "$DB" && rabbitmqctl -q set_permissions -p "$DB" guest ".*" ".*" ".*"
# The agent is loaded at launch, idle, and only started (through the attach API) for the measured 20 s: attached
# only then, it made the JIT recompile (the compiler took a quarter of the CPU 60 s into the load, against 1 %
# without a profiler).
env PORT=$PORT DB_URI="postgres://postgres@127.0.0.1:5432/$DB" RABBITMQ_URI="amqp://guest:guest@127.0.0.1:5672/$DB" \
    VENDOR_POLL_PERIOD=1h VENDOR_RATE_LIMIT=100000 AGGREGATOR_DEMO_PRODUCTS_PER_VENDOR=$PRODUCTS AGGREGATOR_DEMO_STOCK=1000000000 \
    AGGREGATOR_POLL_INITIAL_DELAY=500 java $OPTS -agentpath:"$LIB" -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints \
    -jar "$TMP/app.jar" > "$TMP/app.log" 2>&1 &
APP=$!
for _ in $(seq 1 600); do
  [ "$($PSQL -d "$DB" -c "SELECT count(*) FROM products" 2>/dev/null || echo 0)" = "$((2 * PRODUCTS))" ] && break
  sleep 0.5
done
VENDOR=vendorA PRODUCTS=$PRODUCTS wrk -t2 -c32 -d${WARMUP_S:-60}s -s bench/order.lua "http://127.0.0.1:$PORT" > "$TMP/warmup.txt" 2>&1
$PSQL -d "$DB" -c "VACUUM ANALYZE products, orders, outbox"
java bench/Attach.java "$APP" "$LIB" "start,event=cpu,interval=1ms,threads"
T0=$(awk '{print $14 + $15}' "/proc/$APP/stat")
VENDOR=vendorA PRODUCTS=$PRODUCTS wrk -t2 -c32 -d20s -s bench/order.lua "http://127.0.0.1:$PORT" > "$TMP/wrk.txt" 2>&1
T1=$(awk '{print $14 + $15}' "/proc/$APP/stat")
java bench/Attach.java "$APP" "$LIB" "dump,flamegraph,title=POST /order intake ($LABEL),file=$(pwd)/bench/results/profile-intake-$LABEL.html"
java bench/Attach.java "$APP" "$LIB" "stop,collapsed,file=$(pwd)/$TMP/intake.collapsed"
REQUESTS=$(awk '/requests in/ {print $1}' "$TMP/wrk.txt")
RPS=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$TMP/wrk.txt")
CPU_MS=$(echo "scale=3; ($T1 - $T0) * 10 / $REQUESTS" | bc | sed 's/^\./0./')
python3 bench/profile_layers.py "$TMP/intake.collapsed" "$LABEL" "$RPS" "$CPU_MS" > "bench/results/profile-intake-$LABEL.md"
cat "bench/results/profile-intake-$LABEL.md"
