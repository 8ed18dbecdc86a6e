#!/usr/bin/env bash
# Whole-request load test of the inverse path: the packaged service on an embedded PostgreSQL, the MIT realm of
# scripts/s4u-realm.sh on loopback, a closed-loop client exchanging one JWT for ccaches (S4U2Self + S4U2Proxy per
# request). Usage: bench/inverse.sh [JAVA_HOME] [REQUESTS] [CONCURRENCY]   (needs what scripts/s4u-realm.sh needs)
# SERVICE_JVM_OPTS are passed to the service's JVM, e.g. -XX:StartFlightRecording=filename=/tmp/k.jfr for a profile.
# BENCH_PORT (18081) is the service's port, BENCH_REALM_PORT (18389) slapd's, the KDC's the next one.
set -euo pipefail
cd "$(dirname "$0")/.."
jdk=${1:-${JAVA_HOME:-}}
requests=${2:-2000}
concurrency=${3:-16}
java_bin=${jdk:+$jdk/bin/}java
port=${BENCH_PORT:-18081}
realm_port=${BENCH_REALM_PORT:-18389}
# Another service on the port would answer the health check and be measured instead.
if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
  echo "port $port is in use: set BENCH_PORT" >&2
  exit 1
fi
./mvnw -q -B -ntp package -DskipTests
./mvnw -q -B -ntp test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
work=target/bench-inverse
rm -rf "$work"
mkdir -p "$work"
scripts/s4u-realm.sh start "$work/realm" "$realm_port" > /dev/null
trap 'kill $service 2>/dev/null || true; wait $service 2>/dev/null || true; scripts/s4u-realm.sh stop "$work/realm"' EXIT
service=
java -cp "$cp" dev.kerbex.bench.InverseExchangeLoad prepare "$work" "$work/realm"
"$java_bin" -version 2>&1 | head -1
KERBEX_KERBEROS_KEYTABS="$work/realm/kerbex.keytab" KERBEX_KERBEROS_KRB5_CONF="$work/realm/krb5.conf" \
  KERBEX_BOOTSTRAP_FILE="$work/tenants.json" KERBEX_EMBEDDED_DB_DIR="$work/pg" KERBEX_DEMO_ENABLED=false \
  QUARKUS_HTTP_PORT=$port QUARKUS_MANAGEMENT_PORT=$((port + 10)) "$java_bin" ${SERVICE_JVM_OPTS:-} -jar target/quarkus-app/quarkus-run.jar > "$work/service.log" 2>&1 &
service=$!
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$((port + 10))/q/health/ready" > /dev/null && break
  sleep 1
done
run() {
  java -Djava.security.krb5.conf="$work/realm/krb5.conf" -Dsun.security.krb5.disableReferrals=true -cp "$cp" \
    dev.kerbex.bench.InverseExchangeLoad run "http://127.0.0.1:$port" "$1" "$concurrency"
}
run 500 > /dev/null   # warm-up
run "$requests"
