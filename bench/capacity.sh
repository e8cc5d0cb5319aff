#!/usr/bin/env bash
# Per-unit costs for the capacity model (docs/capacity.md), against one engine on a private Redis
# and a private PostgreSQL cluster, so that every counter read (Redis INFO, pg_stat_database, the
# WAL position) is the engine's alone even on a shared machine:
#   answers — ANSWERS answers (after WARM warm-up answers) of TOKENS tokens from the fake upstream,
#             GAP ms apart, over CONC conversations at once, by streaming POST: engine CPU per
#             answer; Redis commands, bytes on the wire and event-stream memory per answer and per
#             delta; PostgreSQL commits, rows inserted/updated/deleted, WAL bytes and table growth
#             per answer, by table.
#   sse     — SSE idle subscriptions (GET /events) held HOLD s: the engine's heap after a full GC
#             and RSS before and with them.
#   ws      — the same for idle WebSockets (ScaleDriver idle, as bench/scale.sh does).
#   stream  — STREAMS conversations answered at once over WebSockets (ScaleDriver stream, as
#             bench/scale.sh does): the engine's CPU per answer on the WebSocket path.
#   split   — the `answers` part against a gateway (GRIZZ_ROLE=gateway, the client's) and a worker
#             (GRIZZ_ROLE=worker) on the same Redis and PostgreSQL instead of the `all` engine,
#             which is stopped meanwhile (and started again for any later part): each process's
#             CPU per answer (/proc utime+stime) and their sum, and the Redis counters as above
#             (the gateway XREADs every event; the steps go through the job stream).
#             PARTS="answers split answers" measures all / split / all back to back.
#   With IDLE=s (default 0), `answers` and `split` also read each engine's CPU over s seconds with
#   no client after the warm-up, and give its CPU per answer net of that.
# Usage: [TOKENS=100] [GAP=20] [CONC=16] [WARM=40] [SSE=1000] [WS=2000] [HOLD=10] \
#          [STREAMS=100] [IDLE=0] [PARTS="answers sse ws stream"] bench/capacity.sh [ANSWERS=400]
#        (PARTS may also name split, e.g. PARTS="answers split answers")
# Needs: JDK 25, a built engine jar, redis-server and redis-cli, PostgreSQL 15's server binaries
# (initdb, pg_ctl; run as root the cluster belongs to the postgres user), psql, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
answers=${1:-400}
tokens=${TOKENS:-100}; gap=${GAP:-20}; conc=${CONC:-16}; warm=${WARM:-40}
idle=${IDLE:-0}; sse=${SSE:-1000}; ws=${WS:-2000}; streams=${STREAMS:-100}; hold=${HOLD:-10}; parts=${PARTS:-"answers sse ws stream"}
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
pgbin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | tail -1)")
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
free() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
load() { uptime | sed 's/.*load average/load average/'; }
echo "$(nproc) cores; $(date -u +%FT%TZ); $(load); answers=$answers tokens=$tokens gap=${gap}ms conc=$conc"
mvn -q -B -pl bench package -DskipTests
work=$(mktemp -d /tmp/grizz-capacity.XXXXXX); chmod 755 "$work"
cp "${JAR:-engine/target/grizz-engine.jar}" "$work/grizz-engine.jar"
rport=$(free); pport=$(free); up=$(free); port=$(free); db=capacity
pids=(); engine=""; gw=""; wk=""
asuser() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else sh -c "$*"; fi; }
cleanup() { for p in "${pids[@]}" $engine $gw $wk; do kill "$p" 2>/dev/null || true; done
  redis-cli -p "$rport" shutdown nosave >/dev/null 2>&1 || true
  asuser "$pgbin/pg_ctl -D $work/pg -m immediate stop" >/dev/null 2>&1 || true
  [ -z "${LOGS:-}" ] || { mkdir -p "$LOGS"; cp "$work"/*.log "$LOGS"/ 2>/dev/null || true; }
  rm -rf "$work"; }
trap cleanup EXIT

redis-server --port "$rport" --save '' --appendonly no --daemonize yes --logfile "$work/redis.log"
mkdir -p "$work/pg"; chown postgres "$work/pg" 2>/dev/null || true
asuser "$pgbin/initdb -D $work/pg -U postgres -A trust" > /dev/null
asuser "$pgbin/pg_ctl -D $work/pg -o '-p $pport -k /tmp -c listen_addresses=127.0.0.1' -l $work/pg/log.txt -w start" > /dev/null
psql -h 127.0.0.1 -p "$pport" -U postgres -q -c "create database $db" postgres
"$java" -cp bench/target/grizz-bench-0.1.0-SNAPSHOT.jar dev.grizz.bench.FakeUpstream "$up" "$tokens" 0 "$gap" \
  > "$work/upstream.log" 2>&1 &
pids+=($!)
jobs="grizz:jobs:capacity"; keys="bench:$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
# start ROLE PORT LOG: an engine on the private Redis and PostgreSQL; prints its pid. All roles
# share the job stream and the signing keys, as a gateway and its workers must.
start() {
  GRIZZ_ROLE="$1" GRIZZ_JOB_STREAM="$jobs" GRIZZ_SIGNING_KEYS="$keys" \
  GRIZZ_REDIS_URL="redis://127.0.0.1:$rport" GRIZZ_DB_URL="jdbc:postgresql://127.0.0.1:$pport/$db" \
  GRIZZ_DB_USER=postgres OPENAI_BASE_URL="http://127.0.0.1:$up/v1" GRIZZ_OPENAI_MODELS=fake \
  GRIZZ_ROUTE=openai/fake GRIZZ_RATE_MESSAGES_ANONYMOUS=100000000 GRIZZ_WORKERS=$((streams + 64)) \
  SERVER_TOMCAT_MAX_CONNECTIONS=$((sse + ws + 2000)) GRIZZ_HOME="$work/home-$1" GRIZZ_PORT="$2" \
  "$java" -jar "$work/grizz-engine.jar" >> "$work/$3" 2>&1 &
  echo $!; }
ready() { for _ in $(seq 180); do curl -sf "http://127.0.0.1:$1/health" >/dev/null 2>&1 && return; sleep 1; done
  echo "engine on $1 not healthy after 180 s" >&2; exit 1; }
stop() { kill "$1" 2>/dev/null || true; while kill -0 "$1" 2>/dev/null; do sleep 0.5; done; }
engine=$(start all "$port" engine.log)
ready "$port"
base="http://127.0.0.1:$port"
echo "engine ready (pid $engine); PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') private on $pport; Redis $(redis-server --version | awk '{print $3}') private on $rport"
heap() { jcmd "$engine" GC.run >/dev/null; jcmd "$engine" GC.heap_info | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+'; }
rss() { awk '/VmRSS/{print $2}' "/proc/$engine/status"; }

# measure BASE PIDS: the answers part against BASE, CPU read from PIDS (name:pid,…)
measure() {
  python3 bench/capacity.py answers "$1" "$warm" "$conc" > /dev/null
  sleep 2   # PostgreSQL's statistics are flushed about once a second
  idlejson=""
  if [ "$idle" != 0 ]; then python3 bench/capacity.py idle "$2" "$idle" > "$work/idle.json"; idlejson="$work/idle.json"; fi
  python3 bench/capacity.py snapshot "$rport" "$pport" "$db" "$2" > "$work/before.json"
  python3 bench/capacity.py answers "$1" "$answers" "$conc" > "$work/answers.json"
  sleep 2
  python3 bench/capacity.py snapshot "$rport" "$pport" "$db" "$2" > "$work/after.json"
  python3 bench/capacity.py diff "$work/before.json" "$work/after.json" "$work/answers.json" $idlejson
  echo "  ($(load))"; }

for part in $parts; do
  # After a split part, the `all` engine again (on the same port, a new pid) for any other part.
  if [ "$part" != split ] && [ -z "$engine" ]; then engine=$(start all "$port" engine.log); ready "$port"; fi
  case $part in
    answers)
      echo "## answers (GRIZZ_ROLE=all, pid $engine): $warm warm-up, then $answers answers of $tokens tokens ${gap} ms apart over $conc conversations"
      measure "$base" "engine:$engine" ;;
    split)
      stop "$engine"; engine=""
      gport=$(free); wport=$(free)
      gw=$(start gateway "$gport" gateway.log); wk=$(start worker "$wport" worker.log)
      ready "$gport"; ready "$wport"
      echo "## split (gateway pid $gw on $gport, worker pid $wk on $wport): $warm warm-up, then $answers answers of $tokens tokens ${gap} ms apart over $conc conversations, through the gateway"
      measure "http://127.0.0.1:$gport" "gateway:$gw,worker:$wk"
      stop "$gw"; stop "$wk"; gw=""; wk="" ;;
    sse)
      echo "## sse: $sse idle SSE subscriptions over 200 conversations, held ${hold} s"
      h0=$(heap); r0=$(rss); t0=$(ls /proc/$engine/task | wc -l)
      python3 bench/capacity.py sse-idle "$base" "$sse" 200 "$hold" > "$work/sse.out" &
      client=$!
      for _ in $(seq 300); do grep -q READY "$work/sse.out" 2>/dev/null && break; sleep 1; done
      sleep 2; h1=$(heap); r1=$(rss); t1=$(ls /proc/$engine/task | wc -l)
      wait $client; cat "$work/sse.out"
      open=$(awk '/READY/{print $2}' "$work/sse.out")
      python3 -c "import sys; h0,h1,r0,r1,n=map(int,sys.argv[1:6]); print(f'| SSE idle | {n} open | heap after GC MB {h0/1024:.0f} -> {h1/1024:.0f}: {1000*(h1-h0)/1024/max(1,n):.1f} MB per 1,000 | RSS MB {r0/1024:.0f} -> {r1/1024:.0f}: {1000*(r1-r0)/1024/max(1,n):.1f} MB per 1,000 | threads {sys.argv[6]} -> {sys.argv[7]} |')" \
        "$h0" "$h1" "$r0" "$r1" "$open" "$t0" "$t1"
      echo "  ($(load))" ;;
    ws)
      echo "## ws: $ws idle WebSockets over 200 conversations, held ${hold} s"
      timeout 300 "$java" -Xmx1g -cp bench/target/grizz-bench-0.1.0-SNAPSHOT.jar dev.grizz.bench.ScaleDriver \
        idle "$base" "$engine" "$ws" 200 "$hold" | grep -vE '^ +[0-9]+:' || true
      echo "  ($(load))" ;;
    stream)
      echo "## stream: $streams WebSocket conversations at once, $tokens tokens ${gap} ms apart"
      c0=$(awk '{print $14 + $15}' "/proc/$engine/stat")
      timeout 300 "$java" -Xmx1g -cp bench/target/grizz-bench-0.1.0-SNAPSHOT.jar dev.grizz.bench.ScaleDriver \
        stream "$base" "$engine" "$streams" 120 || true
      c1=$(awk '{print $14 + $15}' "/proc/$engine/stat")
      python3 -c "import os,sys; print(f'engine CPU ms per WebSocket answer: {1000*(int(sys.argv[2])-int(sys.argv[1]))/os.sysconf(\"SC_CLK_TCK\")/int(sys.argv[3]):.1f}')" "$c0" "$c1" "$streams"
      echo "  ($(load))" ;;
  esac
done
cat "$work"/engine.log "$work"/gateway.log "$work"/worker.log 2>/dev/null | grep -E ' (WARN|ERROR) ' | sed -E 's/^.{0,40}(WARN|ERROR)/\1/' | cut -c1-160 | sort | uniq -c | sort -rn | head -5 || true
