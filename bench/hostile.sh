#!/usr/bin/env bash
# The hostile-vendor soak (issue 25): the service's jar polls one vendor (bench.HostileSoak, in the test
# classes) that answers, round after round, a number with a huge or tiny exponent, a NUL in a name, a record
# nested past Jackson's limit, a Latin-1 answer, a dropped product, an older dropped one listed again, a stock
# changed, or nothing new (an ETag per answer: polls of 304s), while a storefront orders what GET /products shows in
# stock. Then the vendor answers cleanly: the catalogue must converge to exactly what it lists, and no order
# may have been accepted for a product the vendor had stopped listing longer than two poll periods (and 2 s)
# before. Results in bench/results/hostile.md; exit 1 if either fails.
#
#   HOSTILE_SECONDS (90)  length of the soak     HOSTILE_PERIOD_MS (1000)  the vendor's poll period
#   HOSTILE_JAVA_OPTS     the service's JVM options (default: the bench's footprint options, a 128 MB heap)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
# shellcheck source=bench/lib.sh
. bench/lib.sh
SOAK_SECONDS=${HOSTILE_SECONDS:-90}
PERIOD_MS=${HOSTILE_PERIOD_MS:-1000}
OPTS=${HOSTILE_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC -XX:-TieredCompilation -XX:CICompilerCount=1}
VPORT=18190
SPORT=18191
RUN=hostile_$(date +%s)
TMP=bench/results/tmp
mkdir -p "$TMP"
PSQL="psql -h 127.0.0.1 -U postgres -qtA"

mvn -B -q package -DskipTests test-compile
$PSQL -c "CREATE DATABASE $RUN"
rabbitmqctl -q add_vhost "$RUN" && rabbitmqctl -q set_permissions -p "$RUN" guest ".*" ".*" ".*"
APP_PID=""
SOAK_PID=""
cleanup() {
  [ -n "$SOAK_PID" ] && stop_pid "$SOAK_PID" 5
  [ -n "$APP_PID" ] && stop_pid "$APP_PID" 20
  $PSQL -c "DROP DATABASE IF EXISTS $RUN WITH (FORCE)" >/dev/null 2>&1 || true
  rabbitmqctl -q delete_vhost "$RUN" >/dev/null 2>&1 || true
}
trap cleanup EXIT

java -cp target/test-classes bench.HostileSoak "$VPORT" "http://127.0.0.1:$SPORT" "$SOAK_SECONDS" "$PERIOD_MS" "$TMP/hostile-table.md" \
  > "$TMP/hostile-soak.log" 2>&1 &
SOAK_PID=$!
sleep 1
# shellcheck disable=SC2086 # the options are words
env PORT=$SPORT DB_URI="postgres://postgres@127.0.0.1:5432/$RUN" RABBITMQ_URI="amqp://guest:guest@127.0.0.1:5672/$RUN" \
    DEMO_VENDORS=false VENDOR_URL_1="http://127.0.0.1:$VPORT/hostile/products" VENDOR_POLL_PERIOD="${PERIOD_MS}ms" \
    VENDOR_RATE_LIMIT=200 java $OPTS -jar target/order-aggregator.jar > "$TMP/hostile-app.log" 2>&1 &
APP_PID=$!
rc=0
wait "$SOAK_PID" || rc=$?
SOAK_PID=""
# let the last orders finish before counting them
for _ in $(seq 1 60); do
  [ "$($PSQL -d "$RUN" -c "SELECT count(*) FROM orders WHERE status = 'PENDING'")" = "0" ] && break
  sleep 1
done
ORDERS=$($PSQL -d "$RUN" -c "SELECT string_agg(status || ' ' || n, ', ' ORDER BY status) FROM (SELECT status, count(*) n FROM orders GROUP BY status) s")
VENDOR404=$($PSQL -d "$RUN" -c "SELECT count(*) FROM orders WHERE status = 'FAILED' AND last_error LIKE 'vendor answered 404%'")
ERRORS=$(grep -c ' ERROR ' "$TMP/hostile-app.log" || true)
OOM=$(grep -c 'OutOfMemoryError' "$TMP/hostile-app.log" || true)
REJECTED=$(grep -c 'dead-letter\|Dead-letter\|dead letter' "$TMP/hostile-app.log" || true)
{
  echo "# Hostile-vendor soak (bench/hostile.sh)"
  echo
  echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores: the service's jar (java $OPTS), the soak's vendor and storefront"
  echo "(bench.HostileSoak), PostgreSQL and RabbitMQ on one machine. Exit status of the soak: $rc."
  echo
  if [ -s "$TMP/hostile-table.md" ]; then cat "$TMP/hostile-table.md"; else echo "(the soak wrote no table; its log:)"; tail -20 "$TMP/hostile-soak.log"; fi
  echo
  echo "| after the soak | value |"
  echo "| --- | --- |"
  echo "| orders by status | $ORDERS |"
  echo "| orders FAILED with the vendor's 404 (ordered within the grace of a drop) | $VENDOR404 |"
  echo "| service log: ERROR lines / OutOfMemoryError / lines about dead letters | $ERRORS / $OOM / $REJECTED |"
} > bench/results/hostile.md
cat bench/results/hostile.md
[ "$OOM" = 0 ] || rc=1
exit "$rc"
