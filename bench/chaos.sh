#!/usr/bin/env bash
# The fault soak: two instances of the service on one database and vhost, one outside vendor of their own
# (testvendors.ChaosVendor, its own JVM: ~50 ms per PUT, real stock, one application per Idempotency-Key, a
# log of every PUT), orders posted at a steady rate across both instances, and during that load, one at a
# time with a recovery gap between them:
#   broker  RabbitMQ stopped (rabbitmqctl stop_app) for 10 s, then started again
#   db      PostgreSQL restarted (pg_ctlcluster … restart)
#   kill    the instance holding the vendor's lane (its single active consumer) SIGKILLed and started again
#   fail    the vendor answers every PUT 503 for a window, then heals
#   hang    the vendor holds every PUT unanswered for a window, then heals (and answers what it held)
#   start_nobroker  RabbitMQ stopped, the lane's active instance SIGKILLed and started again while it is down
#           (it must stay up and answer 503), RabbitMQ started 10 s later (issue 23)
#   lane_queue  the vendor's lane queue deleted (rabbitmqctl delete_queue) under load; healed once it is
#           back with a consumer; messages it held come back through reconciliation (issue 23)
# Then it waits for the backlog to drain and a poll of the vendor after it, and checks what was promised:
# nothing accepted is lost or FAILED, nothing applied twice by the vendor, the vendor's stock, the orders
# and the service's stock agree, and no client saw a 5xx other than a 503 with Retry-After. Prints one
# "name value" line per figure, writes bench/results/chaos.md and bench/results/chaos.png (rate over time,
# faults marked) and exits 1 when a goal was missed.
#
# RabbitMQ and PostgreSQL are the machine's own: the broker and db faults stop them for everything on it.
# Two gentler stand-ins touch only this run's vhost and database (for a machine shared with other work):
#   broker_vhost  the vhost's permissions cleared and its connections closed for 10 s (reconnects refused)
#   db_conns      the database closed to new connections and its sessions terminated for 5 s
#   CHAOS_SHORT=1                 10 s windows and shorter gaps (about 2.5 minutes of load instead of 5)
#   CHAOS_FAULTS=kill,fail,hang   these faults, in this order (default broker,db,kill,fail,hang,start_nobroker,lane_queue)
#   CHAOS_RATE=50                 orders per second in all, half to each instance
#   CHAOS_LATENCY_MS=50           how long the vendor takes per PUT (real vendors: 50–500 ms)
#   CHAOS_SKIP_BUILD=1            use target/ as it is;  MVN_FLAGS="-B -q -o" to build offline
#   CHAOS_KEEP=1                  keep the database and vhost (named in the output) for a post-mortem
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/results
W=$OUT/tmp/chaos
mkdir -p "$W"
rm -rf "${W:?}"/*

SHORT=${CHAOS_SHORT:-0}
FAULTS=${CHAOS_FAULTS:-broker,db,kill,fail,hang,start_nobroker,lane_queue}
RATE=${CHAOS_RATE:-50}
PER=$((RATE / 2))
# curl processes per instance, each sending one request after the other at PER/CLIENTS a second: a few
# of them keep the rate while answers are slow (this loaded machine: 100-300 ms at times).
CLIENTS=${CHAOS_CLIENTS:-5}
if [ "$SHORT" = 1 ]; then
  WARMUP=${CHAOS_WARMUP_S:-10} WINDOW=${CHAOS_WINDOW_S:-10} GAP=${CHAOS_GAP_S:-20}
else
  WARMUP=${CHAOS_WARMUP_S:-20} WINDOW=${CHAOS_WINDOW_S:-30} GAP=${CHAOS_GAP_S:-40}
fi
BROKER_DOWN=${CHAOS_BROKER_DOWN_S:-10}
DRAIN_MAX=${CHAOS_DRAIN_MAX_S:-600}
VENDOR=chaosv PRODUCTS=200 STOCK=1000000 LATENCY_MS=${CHAOS_LATENCY_MS:-50}
APP_PORT_1=${CHAOS_PORT_1:-18281} APP_PORT_2=${CHAOS_PORT_2:-18282} VPORT=${CHAOS_VENDOR_PORT:-18290}
# The production options of the README, without the class-data archive (no training start here).
JAVA_OPTS=${CHAOS_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC -XX:-TieredCompilation -XX:CICompilerCount=1 -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=2000}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
RUN=chaos_$(date +%s)
PSQL="psql -h 127.0.0.1 -U postgres -qtA -v ON_ERROR_STOP=1"
PGVER=$(ls /etc/postgresql)

for f in ${FAULTS//,/ }; do
  case "$f" in broker|db|kill|fail|hang|broker_vhost|db_conns|start_nobroker|lane_queue) ;;
    *) echo "CHAOS_FAULTS: '$f' is not a fault (broker, db, kill, fail, hang, broker_vhost, db_conns, start_nobroker, lane_queue)" >&2; exit 2 ;; esac
done

# --- tools, services, build ----------------------------------------------------------------------------
missing=()
command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
command -v psql >/dev/null || missing+=(postgresql-client)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
services_up() {
  pg_isready -h 127.0.0.1 -q || pg_ctlcluster --skip-systemctl-redirect "$PGVER" main start || true
  for _ in $(seq 1 60); do pg_isready -h 127.0.0.1 -q && break; sleep 1; done
  rabbitmqctl -q status >/dev/null 2>&1 || rabbitmq-server -detached
  rabbitmqctl -q start_app >/dev/null 2>&1 || true
  rabbitmqctl -q --timeout 120 await_startup
}
services_up
for p in $APP_PORT_1 $APP_PORT_2 $VPORT; do
  if ss -ltnH "( sport = :$p )" | grep -q .; then echo "port $p is taken (CHAOS_PORT_1, CHAOS_PORT_2, CHAOS_VENDOR_PORT)" >&2; exit 2; fi
done
if [ "${CHAOS_SKIP_BUILD:-0}" != 1 ]; then
  # shellcheck disable=SC2086
  mvn ${MVN_FLAGS:--B -q} package -DskipTests
fi
# Copies: a build in this working tree while the soak runs (mvn verify) rewrites target/.
cp target/order-aggregator.jar "$W/order-aggregator.jar"
mkdir -p "$W/vendor-classes" "$W/routes" && cp -r target/test-classes/testvendors "$W/vendor-classes/"

# --- processes ----------------------------------------------------------------------------------------
declare -A APP_PID APP_PORT=([1]=$APP_PORT_1 [2]=$APP_PORT_2)
VENDOR_PID="" SAMPLER="" BROKER_STOPPED=0 START_NOBROKER_EXITED=0
LOADER_PID=()
. bench/lib.sh # stop_pid
# stop_load [SECONDS]: the clients finish their batch (so no order is cut off between its commit and its
# answer), stopped after SECONDS (0: at once).
stop_load() {
  local pid alive deadline=$(($(date +%s) + ${1:-0}))
  touch "$W/stop"
  while [ "$(date +%s)" -lt "$deadline" ]; do
    alive=0
    for pid in "${LOADER_PID[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  for f in "$W"/curl-*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  for pid in "${LOADER_PID[@]}"; do wait "$pid" 2>/dev/null || true; done
  LOADER_PID=()
}
cleanup() {
  set +e
  stop_load
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null
  for n in 1 2; do [ -n "${APP_PID[$n]:-}" ] && stop_pid "${APP_PID[$n]}" 5; done
  [ -n "$VENDOR_PID" ] && stop_pid "$VENDOR_PID" 5
  # The machine's PostgreSQL and RabbitMQ are left running, whatever happened.
  if [ "$BROKER_STOPPED" = 1 ]; then rabbitmqctl -q start_app >/dev/null 2>&1; fi
  services_up >/dev/null 2>&1
  if [ "${CHAOS_KEEP:-0}" = 1 ]; then
    $PSQL -c "ALTER DATABASE $RUN ALLOW_CONNECTIONS true" >/dev/null 2>&1
    rabbitmqctl -q set_permissions -p "$RUN" guest ".*" ".*" ".*" >/dev/null 2>&1
    echo "kept: database and vhost $RUN" >&2
  else
    $PSQL -c "DROP DATABASE IF EXISTS $RUN WITH (FORCE)" >/dev/null 2>&1
    rabbitmqctl -q delete_vhost "$RUN" >/dev/null 2>&1
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
csql() { $PSQL -d "$RUN" -c "$1"; }
app_start() {  # app_start N: instance N on its port, appending to its log
  local n=$1
  env PORT="${APP_PORT[$n]}" DB_URI="postgres://postgres@127.0.0.1:5432/$RUN" RABBITMQ_URI="amqp://guest:guest@127.0.0.1:5672/$RUN" \
      DEMO_VENDORS=false VENDOR_URL_1="http://127.0.0.1:$VPORT/$VENDOR/products" VENDOR_NAME_1=$VENDOR \
      VENDOR_POLL_PERIOD=10s VENDOR_RATE_LIMIT_1=200 AGGREGATOR_INSTANCE="chaos-$n" AGGREGATOR_VENDORS_DIRECTORY="$W/routes" \
      AGGREGATOR_RECONCILE_PENDING_AFTER_SECONDS=${CHAOS_RECONCILE_S:-60} AGGREGATOR_DELIVERY_TOUCH_HELD_MS=15000 \
      java $JAVA_OPTS -jar "$W/order-aggregator.jar" >> "$W/app-$n.log" 2>&1 &
  APP_PID[$n]=$!
}
await_health() {  # await_health N SECONDS
  for _ in $(seq 1 $(($2 * 10))); do
    curl -sf -m 2 "http://127.0.0.1:${APP_PORT[$1]}/health" >/dev/null && return 0
    kill -0 "${APP_PID[$1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "instance $1 did not become healthy; its log's last lines:" >&2; tail -20 "$W/app-$1.log" >&2; return 1
}
vendor_control() { curl -sf -X POST "http://127.0.0.1:$VPORT/control?mode=$1" >/dev/null; }

# The instance whose consumer is the active one on the vendor's lane queue: the broker names the channel,
# the channel its connection, the connection its client port, and the port our process. Empty if unknown.
lane_holder() {
  local ch conn port pid n
  ch=$(rabbitmqctl -q -s list_consumers -p "$RUN" queue_name channel_pid active 2>/dev/null \
    | awk -v q="sync_to_external.$VENDOR" '$1 == q && $3 == "true" {print $2; exit}')
  [ -n "$ch" ] || return 0
  conn=$(rabbitmqctl -q -s list_channels pid connection 2>/dev/null | awk -v c="$ch" '$1 == c {print $2; exit}')
  port=$(rabbitmqctl -q -s list_connections pid peer_port 2>/dev/null | awk -v c="$conn" '$1 == c {print $2; exit}')
  [ -n "$port" ] || return 0
  pid=$(ss -tnpH "( sport = :$port )" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  for n in 1 2; do [ "${APP_PID[$n]}" = "$pid" ] && echo "$n"; done
  return 0
}

# --- the load: CLIENTS curls per instance, together PER/s, in 5 s batches, until $W/stop ---------------------
# Each answer is one line: the time it arrived (bash's clock, no fork), the body (one line of JSON), status,
# seconds taken and the Retry-After header. A batch is a curl config file (no argument-length limit).
batch_config() {  # batch_config PORT COUNT TAG (TAG makes the Idempotency-Keys unique)
  awk -v port="$1" -v n="$2" -v tag="$3" -v seed="$RANDOM$RANDOM" -v products=$PRODUCTS -v vendor=$VENDOR 'BEGIN {
    srand(seed)
    for (i = 0; i < n; i++) {
      printf "url = \"http://127.0.0.1:%s/order\"\n", port
      print "header = \"Content-Type: application/json\""
      printf "data = \"{\\\"id\\\":%d,\\\"vendor\\\":\\\"%s\\\",\\\"quantity\\\":%d}\"\n", 1 + int(rand() * products), vendor, 1 + int(rand() * 3)
      # every other order with an Idempotency-Key (as careful clients send): those go through a transaction
      if (i % 2 == 0) printf "header = \"Idempotency-Key: chaos-%s-%d\"\n", tag, i
      print "write-out = \"\\t%{http_code}\\t%{time_total}\\t%header{retry-after}\\n\""
      print "max-time = 30"
      print "silent"
      if (i < n - 1) print "next"
    }
  }'
}
stamp() { while IFS= read -r line; do printf '%s\t%s\n' "$EPOCHREALTIME" "$line"; done; }
load() {  # load N K: client K of instance N
  set +e
  local n=$1 k=$2 per_min=$((PER * 60 / CLIENTS)) b=0
  while [ ! -f "$W/stop" ]; do
    b=$((b + 1))
    batch_config "${APP_PORT[$n]}" $((per_min / 12)) "$RUN-$n-$k-$b" > "$W/batch-$n-$k.cfg"
    stdbuf -oL curl --rate "$per_min/m" -K "$W/batch-$n-$k.cfg" > >(stamp >> "$W/answers-$n-$k.txt") 2>/dev/null &
    echo $! > "$W/curl-$n-$k.pid"
    wait $!
  done
}
# The backlog, once a second (psql fails while PostgreSQL restarts: that second is left out).
sample() {
  set +e
  while true; do
    local p
    p=$($PSQL -d "$RUN" -c "SELECT count(*) FILTER (WHERE status = 'PENDING') FROM orders" 2>/dev/null) && echo "$EPOCHREALTIME $p" >> "$W/backlog.txt"
    sleep 1
  done
}

# --- the faults ---------------------------------------------------------------------------------------
FAULT_LOG=$W/faults.txt
: > "$FAULT_LOG"
fault() {  # fault NAME: injects it, waits until it healed; appends "name start healed detail" to FAULT_LOG
  local name=$1 start healed detail="" victim
  start=$(now)
  case "$name" in
    broker)
      BROKER_STOPPED=1
      rabbitmqctl -q stop_app >/dev/null
      sleep "$BROKER_DOWN"
      rabbitmqctl -q start_app >/dev/null
      BROKER_STOPPED=0
      healed=$(now)
      rabbitmqctl -q --timeout 120 await_startup
      detail="stop_app ${BROKER_DOWN} s" ;;
    broker_vhost)
      rabbitmqctl -q clear_permissions -p "$RUN" guest
      rabbitmqctl -q close_all_connections -p "$RUN" "chaos: broker outage" >/dev/null
      sleep "$BROKER_DOWN"
      rabbitmqctl -q set_permissions -p "$RUN" guest ".*" ".*" ".*"
      healed=$(now)
      detail="vhost closed ${BROKER_DOWN} s" ;;
    db_conns)
      $PSQL -c "ALTER DATABASE $RUN ALLOW_CONNECTIONS false" -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '$RUN'" >/dev/null
      sleep 5
      $PSQL -c "ALTER DATABASE $RUN ALLOW_CONNECTIONS true"
      healed=$(now)
      detail="database closed 5 s" ;;
    db)
      pg_ctlcluster --skip-systemctl-redirect "$PGVER" main restart
      for _ in $(seq 1 600); do pg_isready -h 127.0.0.1 -q && break; sleep 0.1; done
      healed=$(now)
      detail="pg_ctlcluster restart" ;;
    kill)
      victim=$(lane_holder)
      if [ -n "$victim" ]; then detail="SIGKILL instance $victim, the lane's active consumer"; else victim=1 detail="SIGKILL instance 1 (lane holder not found)"; fi
      kill -9 "${APP_PID[$victim]}"
      wait "${APP_PID[$victim]}" 2>/dev/null || true
      app_start "$victim"
      await_health "$victim" 300
      healed=$(now) ;;
    start_nobroker)
      victim=$(lane_holder); [ -n "$victim" ] || victim=1
      BROKER_STOPPED=1
      rabbitmqctl -q stop_app >/dev/null
      kill -9 "${APP_PID[$victim]}"
      wait "${APP_PID[$victim]}" 2>/dev/null || true
      app_start "$victim"
      sleep "$BROKER_DOWN"
      # It must still run (it exited with AmqpConnectException before issue 23) and answer 503 meanwhile.
      if ! kill -0 "${APP_PID[$victim]}" 2>/dev/null; then
        echo "instance $victim exited while the broker was down" >&2; START_NOBROKER_EXITED=1
        app_start "$victim"
      fi
      code=$(curl -s -o /dev/null -w '%{http_code}' -m 2 "http://127.0.0.1:${APP_PORT[$victim]}/health" || true)
      rabbitmqctl -q start_app >/dev/null
      BROKER_STOPPED=0
      rabbitmqctl -q --timeout 120 await_startup
      await_health "$victim" 300
      healed=$(now)
      detail="instance $victim started with the broker stopped ${BROKER_DOWN} s, /health $code meanwhile" ;;
    lane_queue)
      rabbitmqctl -q delete_queue -p "$RUN" "sync_to_external.$VENDOR" >/dev/null
      for _ in $(seq 1 600); do
        rabbitmqctl -q -s list_queues -p "$RUN" name consumers 2>/dev/null \
          | awk -v q="sync_to_external.$VENDOR" '$1 == q && $2 > 0 {found = 1} END {exit !found}' && break
        sleep 0.1
      done
      healed=$(now)
      detail="lane queue deleted; back with a consumer" ;;
    fail|hang)
      vendor_control "$name"
      sleep "$WINDOW"
      vendor_control ok
      healed=$(now)
      detail="vendor $name ${WINDOW} s" ;;
  esac
  echo "$name $start $healed $detail" >> "$FAULT_LOG"
  printf 'fault %s: %.1f s (%s)\n' "$name" "$(echo "$healed - $start" | bc)" "$detail" >&2
}

# --- run ------------------------------------------------------------------------------------------------
$PSQL -c "CREATE DATABASE $RUN"
rabbitmqctl -q add_vhost "$RUN" && rabbitmqctl -q set_permissions -p "$RUN" guest ".*" ".*" ".*"
java -Dsun.net.httpserver.nodelay=true -Xmx128m -XX:+UseSerialGC -cp "$W/vendor-classes" testvendors.ChaosVendor \
  "$VPORT" "$VENDOR" "$PRODUCTS" "$STOCK" "$LATENCY_MS" > "$W/vendor.log" 2>&1 &
VENDOR_PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$VPORT/stats" >/dev/null && break; sleep 0.1; done
app_start 1
app_start 2
await_health 1 120
await_health 2 120
for _ in $(seq 1 120); do
  [ "$(csql "SELECT count(*) FROM products WHERE vendor = '$VENDOR'" 2>/dev/null)" = "$PRODUCTS" ] && break
  sleep 0.5
done
[ "$(csql "SELECT count(*) FROM products WHERE vendor = '$VENDOR'")" = "$PRODUCTS" ] || { echo "the vendor's catalogue was not polled" >&2; exit 1; }
echo "chaos $RUN: $RATE orders/s, faults $FAULTS, windows ${WINDOW} s, gaps ${GAP} s" >&2

T0=$(now)
for n in 1 2; do
  for k in $(seq 1 "$CLIENTS"); do load "$n" "$k" & LOADER_PID+=($!); done
done
sample & SAMPLER=$!
sleep "$WARMUP"
for f in ${FAULTS//,/ }; do
  fault "$f"
  sleep "$GAP"
done
stop_load 30
LOAD_END=$(now)

# --- drain, then one poll of the vendor after it ---------------------------------------------------------
DRAINED=0
for _ in $(seq 1 $((DRAIN_MAX * 2))); do
  if [ "$(csql "SELECT (SELECT count(*) FROM orders WHERE status = 'PENDING') + (SELECT count(*) FROM outbox)" 2>/dev/null)" = "0" ]; then
    DRAINED=1; break
  fi
  sleep 0.5
done
DRAIN_S=$(echo "$(now) - $LOAD_END" | bc)
[ "$DRAINED" = 1 ] || echo "the backlog did not drain within $DRAIN_MAX s" >&2
DRAIN_END_DB=$(csql "SELECT clock_timestamp()")
POLLED=0
for _ in $(seq 1 120); do
  if [ "$(csql "SELECT count(*) FROM products WHERE vendor = '$VENDOR' AND (fetched_at <= '$DRAIN_END_DB' OR fetched_at <= stock_confirmed_at)")" = "0" ]; then
    POLLED=1; break
  fi
  sleep 0.5
done
[ "$POLLED" = 1 ] || echo "no poll of the vendor after the drain within 60 s: stock_drift_service compares older numbers" >&2
kill "$SAMPLER" 2>/dev/null || true; SAMPLER=""
END=$(now)

# --- what happened: the clients' answers, the vendor's log and stock, the faults, into the database ---------
for n in 1 2; do
  cat "$W"/answers-$n-*.txt 2>/dev/null | awk -F '\t' -v n=$n 'NF == 5 && $3 ~ /^[0-9][0-9][0-9]$/ {
    id = "\\N"; if ($3 == "202" && match($2, /"orderId":"[0-9a-f-]+"/)) id = substr($2, RSTART + 11, RLENGTH - 12)
    printf "%d\t%s\t%.6f\t%s\t%s\t%s\n", n, $1, $1 - $4, $3, $5, id }'
done > "$W/answers.tsv"
curl -sf "http://127.0.0.1:$VPORT/log" > "$W/vendor-puts.tsv"
curl -sf "http://127.0.0.1:$VPORT/stock" > "$W/vendor-stock.tsv"
curl -sf "http://127.0.0.1:$VPORT/stats" > "$W/vendor-stats.json"
awk '{print $1 "\t" $2 "\t" $3}' "$FAULT_LOG" > "$W/faults.tsv"
csql "CREATE TABLE chaos_answers (instance int, at double precision, started double precision, code int, retry_after text, order_id uuid);
      CREATE TABLE chaos_puts (key text, product_id text, quantity int, body_order_id text, at_ms bigint, status int, applied int);
      CREATE TABLE chaos_vendor_stock (product_id text, stock bigint);
      CREATE TABLE chaos_faults (name text, started double precision, healed double precision)"
csql "\\copy chaos_answers FROM '$W/answers.tsv'"
csql "\\copy chaos_puts FROM '$W/vendor-puts.tsv'"
csql "\\copy chaos_vendor_stock FROM '$W/vendor-stock.tsv'"
csql "\\copy chaos_faults FROM '$W/faults.tsv'"

declare -A R
emit() { R[$1]=$2; echo "$1 $2"; }
emit accepted_orders "$(csql "SELECT count(*) FROM chaos_answers WHERE code = 202")"
# accepted (202) but unknown to the database, or not finished after the drain
emit lost_orders "$(csql "SELECT count(*) FROM chaos_answers a LEFT JOIN orders o USING (order_id)
                          WHERE a.code = 202 AND (o.order_id IS NULL OR o.status = 'PENDING')")"
emit failed_orders "$(csql "SELECT count(*) FROM orders WHERE status = 'FAILED'")"
emit synced_orders "$(csql "SELECT count(*) FROM orders WHERE status = 'SYNCED'")"
# orders the database holds whose 202 no client saw (an instance killed mid-answer): not lost, just unanswered
emit orders_without_202 "$(csql "SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM chaos_answers a WHERE a.order_id = o.order_id)")"
# Applied twice for one order: a second application of one order (by the body's orderId) or an application
# whose key is not its order's id. Repeats of an applied key answered 200 without applying are the
# duplicates the Idempotency-Key absorbed.
emit duplicate_deliveries "$(csql "SELECT (SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM chaos_puts WHERE applied = 1 GROUP BY body_order_id) x)
                                         + (SELECT count(*) FROM chaos_puts WHERE applied = 1 AND key <> body_order_id)")"
emit duplicate_deliveries_same_key "$(csql "SELECT count(*) FROM chaos_puts WHERE status = 200 AND applied = 0")"
emit vendor_puts "$(csql "SELECT count(*) FROM chaos_puts")"
# Products whose vendor stock is not the start minus the SYNCED orders' units, and products whose
# vendor_stock - reserved (after the final poll) is not the vendor's stock.
emit stock_drift_vendor "$(csql "SELECT count(*) FROM chaos_vendor_stock v
                                  LEFT JOIN (SELECT product_id, sum(quantity) AS q FROM orders WHERE status = 'SYNCED' GROUP BY 1) s USING (product_id)
                                  WHERE v.stock <> $STOCK - coalesce(s.q, 0)")"
emit stock_drift_service "$(csql "SELECT count(*) FROM chaos_vendor_stock v
                                   LEFT JOIN products p ON p.vendor = '$VENDOR' AND p.product_id = v.product_id
                                   WHERE p.product_id IS NULL OR p.vendor_stock - p.reserved <> v.stock")"
emit stock_drift $((${R[stock_drift_vendor]} + ${R[stock_drift_service]}))
emit http_5xx_other_than_503 "$(csql "SELECT count(*) FROM chaos_answers WHERE code >= 500 AND (code <> 503 OR coalesce(retry_after, '') = '')")"
emit http_503 "$(csql "SELECT count(*) FROM chaos_answers WHERE code = 503")"
emit http_4xx "$(csql "SELECT count(*) FROM chaos_answers WHERE code BETWEEN 400 AND 499")"
# no HTTP answer at all: connection refused while an instance was dead, or the 30 s client time-out
emit unanswered_requests "$(csql "SELECT count(*) FROM chaos_answers WHERE code = 0")"
emit drain_s "$(printf '%.1f' "$DRAIN_S")"
emit reconcile_resent "$(cat "$W"/app-*.log | grep -c 'Reconciliation re-sends' || true)"
emit log_errors "$(cat "$W"/app-*.log | grep -c ' ERROR ' || true)"

# Per fault: offered and accepted orders/s and SYNCED/s from its start until it healed, 503s until the
# next fault, the first SYNCED order after it healed, and when every order taken before it healed was done.
csql "CREATE VIEW chaos_fault_figures AS
  SELECT f.name, f.started - $T0 AS at_s, f.healed - f.started AS duration_s,
         (SELECT count(*) FROM chaos_answers a WHERE a.started BETWEEN f.started AND f.healed) / greatest(f.healed - f.started, 0.001) AS offered_per_s,
         (SELECT count(*) FROM chaos_answers a WHERE a.code = 202 AND a.started BETWEEN f.started AND f.healed) / greatest(f.healed - f.started, 0.001) AS accepted_per_s,
         (SELECT count(*) FROM orders o WHERE extract(epoch FROM o.synced_at) BETWEEN f.started AND f.healed) / greatest(f.healed - f.started, 0.001) AS synced_per_s,
         (SELECT count(*) FROM chaos_answers a WHERE a.code = 503 AND a.started BETWEEN f.started AND f.healed + $GAP) AS answers_503,
         (SELECT count(*) FROM chaos_answers a WHERE a.code = 0 AND a.started BETWEEN f.started AND f.healed + $GAP) AS unanswered,
         (SELECT min(extract(epoch FROM o.synced_at)) FROM orders o WHERE extract(epoch FROM o.synced_at) >= f.healed) - f.healed AS first_synced_s,
         greatest((SELECT max(extract(epoch FROM o.synced_at)) FROM orders o WHERE extract(epoch FROM o.created_at) < f.healed) - f.healed, 0) AS drained_s
    FROM chaos_faults f"
while IFS='|' read -r name first done_s acc syn; do
  emit "recovery_${name}_s" "$first"
  emit "backlog_done_${name}_s" "$done_s"
  emit "accepted_during_${name}_per_s" "$acc"
  emit "synced_during_${name}_per_s" "$syn"
done < <(csql "SELECT name, round(first_synced_s::numeric, 2), round(drained_s::numeric, 1), round(accepted_per_s::numeric, 1),
                      round(synced_per_s::numeric, 1) FROM chaos_fault_figures ORDER BY at_s")

CLEAN=yes
# (no 4xx is expected either: every product's stock outlasts the run, and every request is well formed)
for k in lost_orders failed_orders duplicate_deliveries stock_drift http_5xx_other_than_503 http_4xx; do [ "${R[$k]}" = 0 ] || CLEAN=no; done
[ "$DRAINED" = 1 ] || CLEAN=no
emit instance_exited_without_broker "${START_NOBROKER_EXITED:-0}"
[ "${START_NOBROKER_EXITED:-0}" = 0 ] || CLEAN=no
emit clean "$CLEAN"

# --- chart and report --------------------------------------------------------------------------------------
# per second since the load started: offered, accepted, 503, SYNCED; the backlog beside it
SECS=$(printf '%.0f' "$(echo "$END - $T0" | bc)")
csql "SELECT s.t, coalesce(a.offered, 0), coalesce(a.accepted, 0), coalesce(a.s503, 0), coalesce(y.synced, 0)
        FROM generate_series(0, $SECS) AS s(t)
        LEFT JOIN (SELECT floor(started - $T0)::int AS t, count(*) AS offered, count(*) FILTER (WHERE code = 202) AS accepted,
                          count(*) FILTER (WHERE code = 503) AS s503 FROM chaos_answers GROUP BY 1) a USING (t)
        LEFT JOIN (SELECT floor(extract(epoch FROM synced_at) - $T0)::int AS t, count(*) AS synced FROM orders
                    WHERE synced_at IS NOT NULL GROUP BY 1) y USING (t)
       ORDER BY s.t" | tr '|' ' ' > "$W/timeline.dat"
awk -v t0="$T0" '{printf "%.1f %s\n", $1 - t0, $2}' "$W/backlog.txt" > "$W/backlog.dat" 2>/dev/null || : > "$W/backlog.dat"
{
  echo "set terminal pngcairo size 1100,560 noenhanced"
  echo "set output '$OUT/chaos.png'"
  echo "set title 'Fault soak: orders/s over time ($RATE/s offered over two instances; faults shaded)'"
  echo "set xlabel 'seconds since the load started'"
  echo "set ylabel 'orders per second'"
  echo "set y2label 'orders PENDING'"
  echo "set y2tics"
  echo "set ytics nomirror"
  echo "set key below horizontal"
  i=1
  while read -r name start healed _; do
    a=$(echo "$start - $T0" | bc) b=$(echo "$healed - $T0" | bc)
    echo "set object $i rect from $a, graph 0 to $b, graph 1 fc rgb '#f4b0b0' fs solid 0.5 noborder behind"
    echo "set label $i '$name' at $a, graph 0.97 offset 0.3,0 font ',9'"
    i=$((i + 1))
  done < "$FAULT_LOG"
  echo "plot '$W/timeline.dat' using 1:3 with lines lw 1.5 lc rgb '#1f77b4' title 'accepted (202)/s', \\"
  echo "     '$W/timeline.dat' using 1:5 with lines lw 1.5 lc rgb '#2ca02c' title 'SYNCED/s', \\"
  echo "     '$W/timeline.dat' using 1:4 with impulses lc rgb '#d62728' title '503/s', \\"
  echo "     '$W/backlog.dat' using 1:2 axes x1y2 with lines dt 2 lc rgb '#7f7f7f' title 'PENDING (right axis)'"
} | gnuplot

{
  echo "# Fault soak (bench/chaos.sh)"
  echo
  echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores$([ "$SHORT" = 1 ] && echo ", short mode (CHAOS_SHORT=1)"): two instances (\`java $JAVA_OPTS -jar\`)"
  echo "on one database and vhost, one outside vendor (ChaosVendor, ${LATENCY_MS} ms per PUT, $PRODUCTS products × $STOCK stock), $RATE orders/s"
  echo "offered across both instances ($CLIENTS curls per instance, each one request after the other, together at most $PER/s)."
  echo "Faults one at a time, ${GAP} s of recovery after each: $FAULTS. Load from 0 to $(printf '%.0f' "$(echo "$LOAD_END - $T0" | bc)") s, then the drain."
  echo
  echo "| figure | value | goal |"
  echo "| --- | --- | --- |"
  for k in accepted_orders lost_orders failed_orders synced_orders duplicate_deliveries duplicate_deliveries_same_key stock_drift \
           http_5xx_other_than_503 http_503 http_4xx unanswered_requests orders_without_202 drain_s reconcile_resent log_errors; do
    case $k in lost_orders|failed_orders|duplicate_deliveries|stock_drift|http_5xx_other_than_503|http_4xx) g=0 ;; *) g="" ;; esac
    echo "| $k | ${R[$k]} | $g |"
  done
  echo
  echo "| fault | at s | lasted s | offered/s | accepted/s | SYNCED/s | 503s (until +${GAP} s) | no answer | first SYNCED after heal, s | all earlier orders done after heal, s |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  csql "SELECT name, round(at_s::numeric, 0), round(duration_s::numeric, 1), round(offered_per_s::numeric, 1), round(accepted_per_s::numeric, 1),
               round(synced_per_s::numeric, 1), answers_503, unanswered, round(first_synced_s::numeric, 2), round(drained_s::numeric, 1)
          FROM chaos_fault_figures ORDER BY at_s" | awk -F '|' '{printf "| %s |", $1; for (i = 2; i <= NF; i++) printf " %s |", $i; print ""}'
  echo
  echo "Fault details: $(awk '{d = ""; for (i = 4; i <= NF; i++) d = d " " $i; printf "%s:%s; ", $1, d}' "$FAULT_LOG")"
  echo
  echo "Timeline, 10 s buckets (per second averages; the fault running then):"
  echo
  echo "| s | offered/s | accepted/s | 503/s | SYNCED/s | fault |"
  echo "| --- | --- | --- | --- | --- | --- |"
  awk -v t0="$T0" 'FNR == NR {fs[NR] = $2 - t0; fh[NR] = $3 - t0; fn[NR] = $1; nf = NR; next}
    {b = int($1 / 10); o[b] += $2; a[b] += $3; e[b] += $4; s[b] += $5; if (b > m) m = b}
    END {for (i = 0; i <= m; i++) {f = ""; for (j = 1; j <= nf; j++) if (fs[j] < i * 10 + 10 && fh[j] >= i * 10) f = f fn[j] " ";
         printf "| %d | %.1f | %.1f | %.1f | %.1f | %s |\n", i * 10, o[i] / 10, a[i] / 10, e[i] / 10, s[i] / 10, f}}' "$FAULT_LOG" "$W/timeline.dat"
  echo
  echo "![orders per second, faults shaded](chaos.png)"
} > "$OUT/chaos.md"
echo "report $OUT/chaos.md" >&2
[ "$CLEAN" = yes ]
