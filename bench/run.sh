#!/usr/bin/env bash
# One command for the streaming overhead table: a fake OpenAI-compatible upstream (64 tokens, 5 ms
# apart), the engine in front of it (Redis event log), and the load driver hitting first the upstream
# directly, then the engine's /v1/chat/completions, its streaming POST (SSE) and its WebSocket, at
# each concurrency.
# Usage: [EVENTS=postgres] bench/run.sh [concurrency-list] [requests-per-worker]
#   (default "1 16 64 256" and 20; at 256 and above each worker sends a fifth as many, at least 1,
#   so the whole run stays under about 5 minutes on 2 cores)
#   EVENTS=redis (default) gives the engine GRIZZ_REDIS_URL (Redis Streams event log and job queue);
#   EVENTS=postgres starts it without, so PostgreSQL carries events (LISTEN/NOTIFY) and jobs.
#   MODES="ws" runs only the listed engine paths (default "v1 sse ws"); JFR=/tmp/x.jfr records the
#   engine with Java Flight Recorder (profile settings) for `jfr view hot-methods /tmp/x.jfr`;
#   LOGS=/tmp/dir keeps the engine's and the upstream's logs there; JAR=path runs another build of
#   the engine (an A/B against an older commit's jar); ENGINE_OPTS="-Dx=y ..." adds JVM options.
#   After each row, "machine busy" is the share of the cores that was not idle while the driver ran
#   (everything on the box: driver, upstream, engine, PostgreSQL, Redis, and time the hypervisor
#   stole; /proc/stat).
# Needs: JDK 25 (JAVA_HOME), a built engine jar (mvn -q package -DskipTests), PostgreSQL and Redis on
# 127.0.0.1 (the engine uses a database of its own, dropped at the end). Loopback only, a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
levels=${1:-"1 16 64 256"}
events=${EVENTS:-redis}
modes=${MODES:-"v1 sse ws"}
jfr=(); [ -z "${JFR:-}" ] || jfr=("-XX:StartFlightRecording=filename=$JFR,settings=profile")
per=${2:-20}
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
mvn -q -B -pl bench package -DskipTests
work=$(mktemp -d /tmp/grizz-bench.XXXXXX)
cp "${JAR:-engine/target/grizz-engine.jar}" "$work/grizz-engine.jar"
free() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
up=$(free); port=$(free); db="grizz_bench_$$"
psql -h 127.0.0.1 -U postgres -q -c "create database $db" postgres
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  [ -z "${LOGS:-}" ] || { mkdir -p "$LOGS"; cp "$work"/*.log "$LOGS"/; }
  psql -h 127.0.0.1 -U postgres -q -c "drop database if exists $db with (force)" postgres || true; rm -rf "$work"; }
trap cleanup EXIT
"$java" -cp bench/target/grizz-bench-0.1.0-SNAPSHOT.jar dev.grizz.bench.FakeUpstream "$up" 64 0 5 > "$work/upstream.log" 2>&1 &
pids+=($!)
redis=(); [ "$events" = postgres ] || redis=(GRIZZ_REDIS_URL=redis://127.0.0.1:6379)
env "${redis[@]}" GRIZZ_DB_URL="jdbc:postgresql://127.0.0.1:5432/$db" GRIZZ_DB_USER=postgres \
  OPENAI_BASE_URL="http://127.0.0.1:$up/v1" GRIZZ_OPENAI_MODELS=fake GRIZZ_ROUTE=openai/fake \
  GRIZZ_RATE_MESSAGES_ANONYMOUS=100000000 GRIZZ_HOME="$work/home" GRIZZ_PORT="$port" "$java" "${jfr[@]}" ${ENGINE_OPTS:-} -jar "$work/grizz-engine.jar" > "$work/engine.log" 2>&1 &
engine=$!; pids+=($engine)
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 1; done
echo "engine ready: $(grep -o 'Grizz ready.*' "$work/engine.log" | head -1)"
echo "events: $(curl -s "http://127.0.0.1:$port/actuator/health/readiness" | grep -o '"mode":"[a-z]*"' | head -1); $(nproc) cores; $(date -u +%FT%TZ); load: $(uptime | sed 's/.*load average/load average/')"
echo "| mode | target | conc | reqs | ttft p50 p90 p99 max (ms) | total p50 p90 p99 max (ms) | req/s | errors | engine cpu s | engine peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|---|"
cpu() { awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6, $9}' /proc/stat; }
driver() { local before after; before=$(cpu)
  "$java" -cp bench/target/grizz-bench-0.1.0-SNAPSHOT.jar dev.grizz.bench.LoadDriver "$@"
  after=$(cpu); echo "$before $after" | awk '{t=$4-$1; i=$5-$2; st=$6-$3; if (t>0)
    printf "  (machine busy: %.0f %% of %d cores, of which stolen by the hypervisor %.0f %%)\n", 100*(t-i)/t, '"$(nproc)"', 100*st/t}'; }
for c in $levels; do
  n=$per; [ "$c" -ge 256 ] && n=$(( per / 5 > 0 ? per / 5 : 1 ))
  driver v1 "http://127.0.0.1:$up" "$c" "$n" | tee -a "$work/results.jsonl" | grep '^|\|machine busy'
  for m in $modes; do
    driver "$m" "http://127.0.0.1:$port" "$c" "$n" "$engine" | tee -a "$work/results.jsonl" | grep '^|\|machine busy'
  done
  echo "  (after $c: $(uptime | sed 's/.*load average/load average/'))"
done
echo; echo "JSON lines:"; grep '^{' "$work/results.jsonl"
