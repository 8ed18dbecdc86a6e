#!/usr/bin/env bash
# Runs the JMH benchmarks of src/test/java/dev/kerbex/bench. Usage: bench/jmh.sh [JAVA_HOME] [JMH args...]
# Example: bench/jmh.sh /usr/lib/jvm/temurin-25-jdk-amd64 ForwardPath -rf json -rff target/jmh.json
set -euo pipefail
cd "$(dirname "$0")/.."
jdk=${1:-${JAVA_HOME:-}}
shift || true
./mvnw -q -B -ntp test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
java_bin=${jdk:+$jdk/bin/}java
"$java_bin" -version 2>&1 | head -1
exec "$java_bin" -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" org.openjdk.jmh.Main "${@:-ForwardPath}"
