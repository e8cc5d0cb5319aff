#!/usr/bin/env bash
# The engine's own time per tool round trip (issue 19): the model asks for a tool, the tool runs as
# a step of its own, the model is called again. The demo provider plays the model (it calls
# current_time when asked the time in Tokyo, then answers with the result), so no upstream is
# involved; the time measured is the engine's: from the asking step's step.finished to the
# follow-up step's step.started, at the client, less the tool's own run time.
# Usage: bench/tools.sh [concurrency-list] [turns-per-worker]   (default "1 64" and 20)
#   JAR=path runs another build of the engine; EVENTS=postgres runs without Redis.
# Needs: JDK 25 (JAVA_HOME), a built engine jar (mvn -q package -DskipTests), PostgreSQL and Redis on
# 127.0.0.1 (the engine uses a database of its own, dropped at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
levels=${1:-"1 64"}
per=${2:-20}
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
mvn -q -B -pl bench package -DskipTests
work=$(mktemp -d /tmp/grizz-bench-tools.XXXXXX)
cp "${JAR:-engine/target/grizz-engine.jar}" "$work/grizz-engine.jar"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
db="grizz_bench_tools_$$"
psql -h 127.0.0.1 -U postgres -q -c "create database $db" postgres
engine=
cleanup() { [ -z "$engine" ] || kill "$engine" 2>/dev/null || true; wait 2>/dev/null || true
  psql -h 127.0.0.1 -U postgres -q -c "drop database if exists $db with (force)" postgres || true; rm -rf "$work"; }
trap cleanup EXIT
redis=(); [ "${EVENTS:-redis}" = postgres ] || redis=(GRIZZ_REDIS_URL=redis://127.0.0.1:6379)
env "${redis[@]}" GRIZZ_DB_URL="jdbc:postgresql://127.0.0.1:5432/$db" GRIZZ_DB_USER=postgres \
  GRIZZ_DEMO_TOKENS_PER_SECOND=100000 GRIZZ_RATE_MESSAGES_ANONYMOUS=100000000 \
  GRIZZ_TOOLS_MAX_CALLS_PER_USER_PER_DAY=100000000 \
  GRIZZ_HOME="$work/home" GRIZZ_PORT="$port" "$java" ${ENGINE_OPTS:-} -jar "$work/grizz-engine.jar" > "$work/engine.log" 2>&1 &
engine=$!
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 1; done
echo "engine ready: $(grep -o 'Grizz ready.*' "$work/engine.log" | head -1)"
echo "$(nproc) cores; $(date -u +%FT%TZ); load: $(uptime | sed 's/.*load average/load average/')"
echo "| conc | turns | round trip p50 p99 max (ms) | whole turn p50 p99 (ms) | tool ms (mean) | turns/s | errors | engine cpu s |"
echo "|---|---|---|---|---|---|---|---|"
for c in $levels; do
  "$java" -cp bench/target/grizz-bench-0.1.0-SNAPSHOT.jar dev.grizz.bench.ToolRoundTrip \
    "http://127.0.0.1:$port" "$c" "$per" "$engine"
done
