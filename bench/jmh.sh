#!/usr/bin/env bash
# JMH micro-benchmarks of the engine's per-delta hot path: the event codec (encode, decode, frame),
# EventLog.append to the Redis-backed log (1 and 16 writer threads) and the read a woken subscriber
# makes, and fan-out (append to the moment 1 or 16 subscribers of a conversation, or one of 64
# conversations appended round-robin, have the delta from Subscription.next). See bench/jmh/README.md.
# Usage: bench/jmh.sh [jmh args...]   e.g. bench/jmh.sh FanOut   or   bench/jmh.sh Codec -prof gc
#   Defaults (in the benchmarks' annotations, overridable here): fork 1, warmup 3 x 1 s,
#   measurement 5 x 1 s; the whole set takes 3.5 to 5.5 minutes on the shared 2-core machine, most of
#   it the engine boot in each of the 10 benchmark JVMs. A regex argument runs a subset.
#   Writes the human table to stdout and JSON to bench/jmh/results/jmh-<UTC time>.json
#   (RESULT=path to choose).
# Needs: JDK 25 (JAVA_HOME), Maven, PostgreSQL and Redis on 127.0.0.1 (or GRIZZ_TEST_DB_URL /
# GRIZZ_TEST_REDIS_URL); each benchmark's JVM boots an engine in-process on a fresh database of
# its own, dropped when that JVM exits. The sources are compiled as extra test sources of the
# engine module under its `jmh` Maven profile; the normal build never sees them.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export GRIZZ_TEST_DB_URL="${GRIZZ_TEST_DB_URL:-jdbc:postgresql://127.0.0.1:5432/test}"
export GRIZZ_TEST_DB_USER="${GRIZZ_TEST_DB_USER:-postgres}"
export GRIZZ_TEST_REDIS_URL="${GRIZZ_TEST_REDIS_URL:-redis://127.0.0.1:6379}"
mkdir -p bench/jmh/results
result=$(realpath -m "${RESULT:-bench/jmh/results/jmh-$(date -u +%Y%m%dT%H%M%SZ).json}")
cp="engine/target/jmh.classpath"
mvn -q -B -pl engine -Pjmh test-compile dependency:build-classpath \
  -Dgrizz.web.skip=true -Dspotless.check.skip=true -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cp"
echo "# $(date -u +%FT%TZ); $(nproc) cores; $(uptime | sed 's/.*load average/load average/'); $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
# From engine/, so the engines' Tomcat scratch directory (target/tomcat) lands in engine/target.
cd engine
"$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat "$PWD/../$cp")" \
  org.openjdk.jmh.Main -rf json -rff "$result" "$@"
echo "JSON: $result"
