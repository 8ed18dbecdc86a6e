#!/usr/bin/env bash
# Whole-request load test of the token endpoint: packaged service on an embedded PostgreSQL, a closed-loop
# client with distinct AP-REQs. Usage: bench/load.sh [JAVA_HOME] [REQUESTS] [CONCURRENCY]
set -euo pipefail
cd "$(dirname "$0")/.."
jdk=${1:-${JAVA_HOME:-}}
requests=${2:-5000}
concurrency=${3:-16}
java_bin=${jdk:+$jdk/bin/}java
./mvnw -q -B -ntp package -DskipTests
./mvnw -q -B -ntp test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
work=target/bench-load
rm -rf "$work"
java -cp "$cp" dev.kerbex.bench.TokenEndpointLoad prepare "$work"
"$java_bin" -version 2>&1 | head -1
KERBEX_KERBEROS_KEYTABS="$work/bench.keytab" KERBEX_BOOTSTRAP_FILE="$work/tenants.json" \
  KERBEX_EMBEDDED_DB_DIR="$work/pg" QUARKUS_HTTP_PORT=18080 QUARKUS_MANAGEMENT_PORT=18090 \
  "$java_bin" -jar target/quarkus-app/quarkus-run.jar > "$work/service.log" 2>&1 &
service=$!
trap 'kill $service 2>/dev/null || true; wait $service 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -sf http://127.0.0.1:18090/q/health/ready > /dev/null && break
  sleep 1
done
# A warm-up pass, then the measured one.
java -cp "$cp" dev.kerbex.bench.TokenEndpointLoad run http://127.0.0.1:18080 2000 "$concurrency" > /dev/null
java -cp "$cp" dev.kerbex.bench.TokenEndpointLoad run http://127.0.0.1:18080 "$requests" "$concurrency"
