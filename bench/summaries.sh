#!/usr/bin/env bash
# First-token latency of each turn of a long conversation with rolling summaries on and off, back
# to back on the same jar (issue 21: summarising runs in the background and must not delay the
# next answer's first token). The demo provider answers (fast: 2000 tokens/s) and summarises
# (deterministically); the context budget is small (GRIZZ_CONTEXT_TOKENS=1000 by default) so that
# summaries start early and recur every few turns.
# Usage: [THINK=ms] [CONTEXT=tokens] bench/summaries.sh [turns=200] [rounds=2]
#   THINK: a pause after each answer before the next message (default 0: the next message is sent
#   the moment the answer ends, so the summary runs beside the next answer: the worst case).
# Needs: JDK 25 (JAVA_HOME), a built engine jar (mvn -q package -DskipTests), PostgreSQL and Redis
# on 127.0.0.1 (a database of its own per run, dropped at the end), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
turns=${1:-200}
rounds=${2:-2}
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
work=$(mktemp -d /tmp/grizz-bench-summaries.XXXXXX)
cp "${JAR:-engine/target/grizz-engine.jar}" "$work/grizz-engine.jar"
pid=""; db=""
stop() { [ -z "$pid" ] || { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; }
  [ -z "$db" ] || psql -h 127.0.0.1 -U postgres -q -c "drop database if exists $db with (force)" postgres || true; db=""; }
trap 'stop; rm -rf "$work"' EXIT
echo "$(nproc) cores; $(date -u +%FT%TZ); load: $(uptime | sed 's/.*load average/load average/'); turns=$turns think=${THINK:-0}ms context=${CONTEXT:-1000}"
echo "| round | summaries | ttft p50 ms | p90 ms | p99 ms | max ms | turns 21+: p50 / p90 ms |"
echo "|---|---|---|---|---|---|---|"
for round in $(seq "$rounds"); do
  for mode in on off; do
    db="grizz_bench_sum_$$_$round$mode"
    psql -h 127.0.0.1 -U postgres -q -c "create database $db" postgres
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    summaries=true; [ "$mode" = on ] || summaries=false
    GRIZZ_DB_URL="jdbc:postgresql://127.0.0.1:5432/$db" GRIZZ_DB_USER=postgres \
      GRIZZ_REDIS_URL=redis://127.0.0.1:6379/14 GRIZZ_HOME="$work/home" GRIZZ_PORT="$port" \
      GRIZZ_DEMO_TOKENS_PER_SECOND=2000 GRIZZ_CONTEXT_TOKENS="${CONTEXT:-1000}" \
      GRIZZ_MEMORY_SUMMARIES=$summaries GRIZZ_MEMORY_SUMMARY_MAX_TOKENS=300 \
      GRIZZ_RATE_MESSAGES_ANONYMOUS=100000000 \
      "$java" -jar "$work/grizz-engine.jar" > "$work/engine-$round-$mode.log" 2>&1 &
    pid=$!
    for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 1; done
    python3 bench/summaries.py "http://127.0.0.1:$port" "$turns" "${THINK:-0}" > "$work/result.json"
    python3 - "$round" "$mode" "$work/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[3]))
t = r["ttft_ms"]
def q(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(p * len(v)))] if v else float("nan")
later = t[20:]
print(f"| {sys.argv[1]} {sys.argv[2]} | {r['summaries']} | {q(t,.5):.2f} | {q(t,.9):.2f} | {q(t,.99):.2f} | {max(t):.2f} | {q(later,.5):.2f} / {q(later,.9):.2f} |")
PY
    stop
  done
done
