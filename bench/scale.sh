#!/usr/bin/env bash
# Scale runs on the engine's WebSocket, each against an engine started for it (so it inherits the
# raised file limit and its peak RSS is its own):
#   idle   — N idle sockets (default 10000) spread over a few hundred conversations, held 10 s: how
#            many connected, failed, stayed open; the engine's RSS, heap after GC, threads and
#            descriptors before and with them; MB per 1,000 connections.
#   stream — M conversations (default 1000) streaming at once from a fake upstream at 20 tokens/s
#            (TOKENS tokens, 50 ms apart): delivered tokens/s, completed streams, errors, the
#            engine's CPU and peak RSS.
# Usage: [EVENTS=postgres] [PARTS="idle stream"] [TOKENS=300] [LOGS=dir] bench/scale.sh [N=10000] [M=1000]
#   (LOGS keeps the last part's engine log and the upstream's log in dir)
# Needs what bench/run.sh needs (JDK 25, a built engine jar, PostgreSQL and Redis on 127.0.0.1).
# Each part is bounded to about two minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
idle_n=${1:-10000}
streams=${2:-1000}
parts=${PARTS:-"idle stream"}
tokens=${TOKENS:-300}
events=${EVENTS:-redis}
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
# Every socket is a descriptor on both sides; engine and driver are started below and inherit this.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "file limit: $(ulimit -n); $(nproc) cores; $(date -u +%FT%TZ); events: $events"
mvn -q -B -pl bench package -DskipTests
work=$(mktemp -d /tmp/grizz-scale.XXXXXX)
cp engine/target/grizz-engine.jar "$work/"
free() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
load() { uptime | sed 's/.*load average/load average/'; }
up=$(free); db="grizz_scale_$$"
pids=(); engine=""
cleanup() { for p in "${pids[@]}" $engine; do kill "$p" 2>/dev/null || true; done; sleep 1
  [ -z "${LOGS:-}" ] || { mkdir -p "$LOGS"; cp "$work"/*.log "$LOGS"/ 2>/dev/null || true; }
  psql -h 127.0.0.1 -U postgres -q -c "drop database if exists $db with (force)" postgres || true; rm -rf "$work"; }
trap cleanup EXIT
"$java" -cp bench/target/grizz-bench-0.1.0-SNAPSHOT.jar dev.grizz.bench.FakeUpstream "$up" "$tokens" 0 50 > "$work/upstream.log" 2>&1 &
pids+=($!)

start_engine() {
  port=$(free)
  psql -h 127.0.0.1 -U postgres -q -c "drop database if exists $db with (force)" -c "create database $db" postgres
  local redis=(); [ "$events" = postgres ] || redis=(GRIZZ_REDIS_URL=redis://127.0.0.1:6379)
  env "${redis[@]}" GRIZZ_DB_URL="jdbc:postgresql://127.0.0.1:5432/$db" GRIZZ_DB_USER=postgres \
    OPENAI_BASE_URL="http://127.0.0.1:$up/v1" GRIZZ_OPENAI_MODELS=fake GRIZZ_ROUTE=openai/fake \
    GRIZZ_RATE_MESSAGES_ANONYMOUS=100000000 GRIZZ_WORKERS=$((streams + 64)) \
    SERVER_TOMCAT_MAX_CONNECTIONS=$((idle_n + 2000)) GRIZZ_HOME="$work/home" GRIZZ_PORT="$port" \
    "$java" -jar "$work/grizz-engine.jar" > "$work/engine.log" 2>&1 &
  engine=$!
  for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 1; done
  echo "engine ready (pid $engine, file limit $(grep 'open files' /proc/$engine/limits | awk '{print $4}')); $(load)"
}
stop_engine() {
  grep -E ' (WARN|ERROR) ' "$work/engine.log" | sed -E 's/^.{0,40}(WARN|ERROR)/\1/' | cut -c1-200 | sort | uniq -c | sort -rn | head -5 || true
  kill "$engine"; wait "$engine" 2>/dev/null || true; engine=""
}
driver() { timeout 300 "$java" -Xmx2g -cp bench/target/grizz-bench-0.1.0-SNAPSHOT.jar dev.grizz.bench.ScaleDriver "$@"; }

for part in $parts; do
  start_engine
  case $part in
    idle) echo "## idle: $idle_n sockets over 200 conversations, held 10 s"
          driver idle "http://127.0.0.1:$port" "$engine" "$idle_n" 200 10 | tee -a "$work/results.txt" ;;
    stream) echo "## stream: $streams conversations at once, $tokens tokens 50 ms apart"
          driver stream "http://127.0.0.1:$port" "$engine" "$streams" 120 | tee -a "$work/results.txt" ;;
  esac
  echo "  (after $part: $(load))"
  stop_engine
done
