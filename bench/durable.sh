#!/usr/bin/env bash
# Forward-path whole requests (Kerberos -> JWT) against the packaged service on a DURABLE PostgreSQL (fsync on,
# synchronous_commit on), one service configuration per call, at several client thread counts; prints throughput,
# latency percentiles, server CPU per exchange and RSS. Built for issue 9's commit and crypto-provider comparisons.
#
# Usage: bench/durable.sh [JAVA_HOME] [REQUESTS] [CONCURRENCIES] [APP_DIR]
# Environment passed to the service as usual (KERBEX_CRYPTO_PROVIDER=accp|jdk, KERBEX_COMMITS_BATCH=true|false, ...);
# PG_SETTINGS adds PostgreSQL settings, e.g. PG_SETTINGS="commit_delay=100 commit_siblings=2".
# APP_DIR (default target/quarkus-app, packaged first) lets one run an older build for a before/after comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
jdk=${1:-${JAVA_HOME:-}}
requests=${2:-10000}
concurrencies=${3:-"4 8 16"}
app=${4:-}
java_bin=${jdk:+$jdk/bin/}java
if [ -z "$app" ]; then
  ./mvnw -q -o -B -ntp package -DskipTests
  app=target/quarkus-app
fi
[ -f target/bench.classpath ] && [ target/bench.classpath -nt pom.xml ] \
  || ./mvnw -q -o -B -ntp test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
work=target/bench-durable
rm -rf "$work"; mkdir -p "$work"
java -cp "$cp" dev.kerbex.bench.TokenEndpointLoad prepare "$work"
java -cp "$cp" dev.kerbex.bench.DurablePostgres "$work/pg" 15433 ${PG_SETTINGS:-} > "$work/pg.log" 2>&1 &
pg=$!
service=
trap 'kill $service $pg 2>/dev/null || true; wait $service $pg 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do grep -q '^jdbc:' "$work/pg.log" && break; sleep 1; done
grep -E '^(server_version|fsync|synchronous_commit|commit_delay|commit_siblings) ' "$work/pg.log"
"$java_bin" -version 2>&1 | head -1
echo "service: KERBEX_CRYPTO_PROVIDER=${KERBEX_CRYPTO_PROVIDER:-default} KERBEX_COMMITS_BATCH=${KERBEX_COMMITS_BATCH:-default} app=$app"
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:15433/postgres QUARKUS_DATASOURCE_USERNAME=postgres \
  QUARKUS_DATASOURCE_PASSWORD=postgres KERBEX_KEY_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64) \
  KERBEX_KERBEROS_KEYTABS="$work/bench.keytab" KERBEX_BOOTSTRAP_FILE="$work/tenants.json" QUARKUS_HTTP_PORT=18081 QUARKUS_MANAGEMENT_PORT=18091 \
  "$java_bin" ${SERVICE_JVM_OPTS:-} -jar "$app/quarkus-run.jar" > "$work/service.log" 2>&1 &
service=$!
for _ in $(seq 1 90); do curl -sf http://127.0.0.1:18091/q/health/ready > /dev/null && break; sleep 1; done
curl -s http://127.0.0.1:18091/q/metrics | grep '^kerbex_crypto_provider_info' || true
cpu_ticks() { awk '{print $14 + $15}' /proc/$service/stat; }
hz=$(getconf CLK_TCK)
java -cp "$cp" dev.kerbex.bench.TokenEndpointLoad run http://127.0.0.1:18081 3000 8 > /dev/null   # warm-up
pg_counters() { java -cp "$cp" dev.kerbex.bench.PgCounters jdbc:postgresql://127.0.0.1:15433/postgres; }
for c in $concurrencies; do
  read -r xid0 wal0 < <(pg_counters)
  before=$(cpu_ticks)
  out=$(java -cp "$cp" dev.kerbex.bench.TokenEndpointLoad run http://127.0.0.1:18081 "$requests" "$c")
  after=$(cpu_ticks)
  read -r xid1 wal1 < <(pg_counters)
  echo "$out"
  ok=$(echo "$out" | grep -o '200=[0-9]*' | cut -d= -f2)
  rss=$(awk '/VmRSS/ {print $2}' /proc/$service/status)
  # The forging of the run's AP-REQs happens in the load generator before its clock starts; the service idles then.
  awk -v t=$((after - before)) -v hz="$hz" -v n="${ok:-$requests}" -v rss="$rss" -v x=$((xid1 - xid0 - 1)) \
    -v w=$((wal1 - wal0)) 'BEGIN { printf "server CPU per exchange=%.2f ms  RSS=%d MiB  write transactions per exchange=%.2f  WAL per exchange=%.0f B\n", t * 1000 / hz / n, rss / 1024, x / n, w / n }'
done
