#!/usr/bin/env bash
# What tracing costs (issue 27): order intake (POST /order, 32 connections) with tracing off and with it on,
# exporting every span over OTLP/HTTP to a local sink, in alternating rounds on one quiet machine; optionally a
# third kind, BEFORE_JAR (a build from before tracing existed), to show that "off" costs nothing.
#   bench/tracing.sh                      about 6 minutes: 3 rounds of off and on
#   BEFORE_JAR=/tmp/old.jar bench/tracing.sh   adds that jar's rounds (about 9 minutes)
#   TRACING_ROUNDS=5                      more rounds
#   TRACING_KINDS="off sampled"           other kinds: sampled is "on" with 10 % of traces sampled
#                                         (parentbased_traceidratio 0.1); TRACING_OUT=name.md writes that file instead
# Each round is a fresh service, database and vhost, the demo vendors at 2 × 5,000 products, a 10 s warm-up and
# a 20 s measurement; the figure of each kind is its median round. Writes bench/results/tracing.md and the
# tracing rows into bench/results/latest.md (replacing earlier ones).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
pg_isready -h 127.0.0.1 -q || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
rabbitmqctl -q status >/dev/null 2>&1 || rabbitmq-server -detached
rabbitmqctl -q --timeout 120 await_startup

[ -n "${BENCH_JAR:-}" ] || mvn -B -q package -DskipTests
TMP=bench/results/tmp/tracing
mkdir -p "$TMP"
cp "${BENCH_JAR:-target/order-aggregator.jar}" "$TMP/current.jar"
[ -z "${BEFORE_JAR:-}" ] || cp "$BEFORE_JAR" "$TMP/before.jar"
export MALLOC_ARENA_MAX=2
OPTS="-Xmx128m -XX:+UseSerialGC -XX:-TieredCompilation -XX:CICompilerCount=1 -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=2000"
PSQL="psql -h 127.0.0.1 -U postgres -qtA"
PORT=18097
SINK_PORT=18098
PRODUCTS=5000
ROUNDS=${TRACING_ROUNDS:-3}

# The OTLP/HTTP sink: answers every export 200 with an empty ExportTraceServiceResponse (an empty protobuf
# message), counting requests and bytes so that the report can show the spans really left.
cat > "$TMP/sink.py" <<'PY'
import http.server, sys, threading
stats = {"requests": 0, "bytes": 0}
lock = threading.Lock()
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(n)
        with lock:
            stats["requests"] += 1
            stats["bytes"] += n
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()
    def do_GET(self):
        body = ("%d %d\n" % (stats["requests"], stats["bytes"])).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
PY
python3 "$TMP/sink.py" "$SINK_PORT" &
SINK=$!
APP=""
DB=""
cleanup() {
  [ -z "$APP" ] || kill "$APP" 2>/dev/null || true
  kill "$SINK" 2>/dev/null || true
  if [ -n "$DB" ]; then
    $PSQL -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
    rabbitmqctl -q delete_vhost "$DB" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$SINK_PORT/" >/dev/null && break; sleep 0.1; done

declare -A FIG
# round KIND N: one round; KIND off and on run the current jar (on: exporting to the sink), before BEFORE_JAR.
round() {
  local kind=$1 n=$2 jar=current tracing=() sink0 sink1 t0 t1 rps p50 p99 cpu
  DB="tracing_${kind}_$(date +%s%N | cut -c1-13)"
  [ "$kind" != before ] || jar=before
  [ "$kind" != on ] || tracing=(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf)
  [ "$kind" != sampled ] || tracing=(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
      OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.1)
  $PSQL -c "CREATE DATABASE $DB"
  rabbitmqctl -q add_vhost "$DB" && rabbitmqctl -q set_permissions -p "$DB" guest ".*" ".*" ".*"
  env PORT=$PORT DB_URI="postgres://postgres@127.0.0.1:5432/$DB" RABBITMQ_URI="amqp://guest:guest@127.0.0.1:5672/$DB" \
      VENDOR_POLL_PERIOD=1h AGGREGATOR_DEMO_PRODUCTS_PER_VENDOR=$PRODUCTS AGGREGATOR_DEMO_STOCK=1000000000 \
      AGGREGATOR_POLL_INITIAL_DELAY=500 "${tracing[@]}" \
      java $OPTS -jar "$TMP/$jar.jar" > "$TMP/app-$kind-$n.log" 2>&1 &
  APP=$!
  for _ in $(seq 1 600); do
    [ "$($PSQL -d "$DB" -c "SELECT count(*) FROM products" 2>/dev/null || echo 0)" = "$((2 * PRODUCTS))" ] && break
    kill -0 "$APP" 2>/dev/null || { echo "$kind round $n: the service exited" >&2; tail -20 "$TMP/app-$kind-$n.log" >&2; exit 1; }
    sleep 0.5
  done
  VENDOR=vendorB PRODUCTS=$PRODUCTS wrk -t2 -c32 -d10s -s bench/order.lua "http://127.0.0.1:$PORT" > "$TMP/warmup.txt" 2>&1
  sink0=$(curl -s "http://127.0.0.1:$SINK_PORT/" | cut -d' ' -f1)
  t0=$(awk '{print $14 + $15}' "/proc/$APP/stat")
  VENDOR=vendorA PRODUCTS=$PRODUCTS wrk -t2 -c32 -d20s -s bench/order.lua "http://127.0.0.1:$PORT" > "$TMP/wrk-$kind-$n.txt" 2>&1
  t1=$(awk '{print $14 + $15}' "/proc/$APP/stat")
  sink1=$(curl -s "http://127.0.0.1:$SINK_PORT/" | cut -d' ' -f1)
  rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$TMP/wrk-$kind-$n.txt")
  p50=$(awk '/^p50_ms/ {print $2}' "$TMP/wrk-$kind-$n.txt")
  p99=$(awk '/^p99_ms/ {print $2}' "$TMP/wrk-$kind-$n.txt")
  local requests
  requests=$(awk '/requests in/ {print $1}' "$TMP/wrk-$kind-$n.txt")
  # Java CPU per request during the measurement (clock ticks are 10 ms)
  cpu=$(echo "scale=3; ($t1 - $t0) * 10 / $requests" | bc | sed 's/^\./0./')
  kill "$APP"; wait "$APP" 2>/dev/null || true
  APP=""
  $PSQL -c "DROP DATABASE $DB WITH (FORCE)" >/dev/null
  rabbitmqctl -q delete_vhost "$DB"
  DB=""
  FIG[${kind}_rps]="${FIG[${kind}_rps]:-} $rps"
  FIG[${kind}_cpu]="${FIG[${kind}_cpu]:-} $cpu"
  FIG[${kind}_p99]="${FIG[${kind}_p99]:-} $p99"
  FIG[${kind}_exports]="${FIG[${kind}_exports]:-} $((sink1 - sink0))"
  echo "$kind $n: $rps req/s, p50 $p50 ms, p99 $p99 ms, java cpu $cpu ms per order, OTLP exports $((sink1 - sink0))"
}
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR] = $1} END {if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

KINDS=${TRACING_KINDS:-off on}
[ -z "${BEFORE_JAR:-}" ] || KINDS="before $KINDS"
OUT=bench/results/${TRACING_OUT:-tracing.md}
for i in $(seq 1 "$ROUNDS"); do
  for k in $KINDS; do round "$k" "$i"; done
done

m() { echo "${FIG[$1]}" | median; }
ratio() { echo "scale=2; $1 / $2" | bc | sed 's/^\./0./'; }
{
  echo "# Tracing's cost (bench/tracing.sh)"
  echo
  echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores: POST /order, 32 connections, 20 s after a 10 s warm-up, each round a fresh"
  echo "service (java $OPTS), database and vhost; $ROUNDS rounds of each kind, alternating; medians."
  echo "\"on\": OTEL_EXPORTER_OTLP_ENDPOINT to a local OTLP/HTTP sink, every trace sampled (the default sampler), exported by the"
  echo "SDK's batch processor with its defaults (a queue of 2,048 spans; what does not fit is dropped, not waited for)."
  echo "\"sampled\": the same with OTEL_TRACES_SAMPLER=parentbased_traceidratio and OTEL_TRACES_SAMPLER_ARG=0.1."
  echo
  echo "| kind | req/s (rounds) | median req/s | Java CPU ms per order (median) | p99 ms (median) | OTLP exports during the 20 s |"
  echo "| --- | --- | --- | --- | --- | --- |"
  for k in $KINDS; do
    echo "| $k | ${FIG[${k}_rps]} | $(m "${k}_rps") | $(m "${k}_cpu") | $(m "${k}_p99") | ${FIG[${k}_exports]} |"
  done
  echo
  [ -z "${FIG[on_rps]:-}" ] || echo "tracing_on_intake_ratio (on / off): $(ratio "$(m on_rps)" "$(m off_rps)")"
  [ -z "${FIG[sampled_rps]:-}" ] || echo "tracing_sampled_intake_ratio (10 % sampled / off): $(ratio "$(m sampled_rps)" "$(m off_rps)")"
  [ -z "${BEFORE_JAR:-}" ] || echo "tracing_off_intake_ratio (off / a build without tracing): $(ratio "$(m off_rps)" "$(m before_rps)")"
} > "$OUT"
cat "$OUT"
# The rows in latest.md: replaced, so that the file holds the last tracing run's.
if [ -z "${TRACING_OUT:-}" ] && [ -f bench/results/latest.md ]; then
  sed -i '/^## Tracing (bench\/tracing.sh)/,$d' bench/results/latest.md
  {
    echo "## Tracing (bench/tracing.sh)"
    echo
    sed -n '/^Run /,$p' "$OUT"
  } >> bench/results/latest.md
fi
