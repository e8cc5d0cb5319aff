#!/usr/bin/env bash
# Start-up to "Grizz ready", RSS at that moment and 3 s later (idle), for the engine jar on the
# machine's PostgreSQL (no Redis, demo provider): the fat jar as built, the extracted jar, and the
# extracted jar with a JDK 25 AOT cache (trained by one start that exits after refresh), each with the default GC and
# with a small-footprint set of JVM flags; then the same with Spring AOT on (-Dspring.aot.enabled=true:
# bean definitions computed at build time by the pom's process-aot goal), which needs its own cache.
# Usage: bench/startup.sh [runs-per-variant]   (needs engine/target/grizz-engine.jar:
#        mvn -q -pl engine package -DskipTests; GRIZZ_JAR=path/to.jar measures another jar)
set -euo pipefail
runs=${1:-3}
repo=$(cd "$(dirname "$0")/.." && pwd)
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
work=$(mktemp -d /tmp/grizz-startup.XXXXXX)
db="grizz_startup_$$"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cleanup() { psql -h 127.0.0.1 -U postgres -q -c "drop database if exists $db with (force)" postgres || true; rm -rf "$work"; }
trap cleanup EXIT
psql -h 127.0.0.1 -U postgres -q -c "create database $db" postgres
cp "${GRIZZ_JAR:-$repo/engine/target/grizz-engine.jar}" "$work/grizz-engine.jar"
"$java" -Djarmode=tools -jar "$work/grizz-engine.jar" extract --destination "$work/ext" > /dev/null
export GRIZZ_DB_URL="jdbc:postgresql://127.0.0.1:5432/$db" GRIZZ_DB_USER=postgres GRIZZ_HOME="$work/home" GRIZZ_PORT="$port"
unset GRIZZ_REDIS_URL || true

once() { # prints "<ms> <rss MB> <CPU ms> <idle rss MB>"
  local log="$work/run.log" start end pid rss cpu
  : > "$log" # emptied before the start: the redirect below truncates it only once the JVM forks
  start=$(date +%s%N)
  "$java" "$@" > "$log" 2>&1 &
  pid=$!
  until grep -q "Grizz ready" "$log" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { tail -5 "$log"; exit 1; }
    sleep 0.02
  done
  end=$(date +%s%N)
  rss=$(ps -o rss= -p "$pid")
  # user + system time of the JVM (all its threads) so far, in ms (clock ticks are 10 ms here).
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat")
  # Idle: what was deferred until ready (the tokenizer's ranks, the decoy password hash) is loaded.
  sleep 3
  idle=$(ps -o rss= -p "$pid")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$(( (end - start) / 1000000 )) $(( rss / 1024 )) $cpu $(( idle / 1024 ))"
}

variant() { # name, java args...
  local name=$1; shift
  local times="" rsss="" cpus="" idles=""
  once "$@" > /dev/null # warm the page cache and the database
  for _ in $(seq "$runs"); do
    read -r ms mb cpu idle < <(once "$@")
    times="$times $ms"; rsss="$rsss $mb"; cpus="$cpus $cpu"; idles="$idles $idle"
  done
  printf '| %s |%s |%s |%s |%s |\n' "$name" "$times" "$cpus" "$rsss" "$idles"
}

small="-XX:+UseSerialGC -Xmx256m -XX:ReservedCodeCacheSize=64m -Xss512k"
"$java" -XX:AOTCacheOutput="$work/grizz.aot" -Dspring.context.exit=onRefresh \
  -jar "$work/ext/grizz-engine.jar" > "$work/train.log" 2>&1
"$java" -XX:AOTCacheOutput="$work/grizz-spring-aot.aot" -Dspring.aot.enabled=true \
  -Dspring.context.exit=onRefresh -jar "$work/ext/grizz-engine.jar" > "$work/train-spring-aot.log" 2>&1
# CPU time is steadier than wall time when the machine is busy with anything else.
echo "| variant | ready (ms) | CPU to ready (ms) | RSS at ready (MB) | RSS idle, 3 s later (MB) |"
echo "|---|---|---|---|---|"
variant "fat jar" -jar "$work/grizz-engine.jar"
variant "extracted" -jar "$work/ext/grizz-engine.jar"
variant "extracted + AOT cache" -XX:AOTCache="$work/grizz.aot" -jar "$work/ext/grizz-engine.jar"
# shellcheck disable=SC2086
variant "extracted + AOT cache + small flags" -XX:AOTCache="$work/grizz.aot" $small -jar "$work/ext/grizz-engine.jar"
variant "extracted + Spring AOT" -Dspring.aot.enabled=true -jar "$work/ext/grizz-engine.jar"
variant "extracted + Spring AOT + AOT cache" -XX:AOTCache="$work/grizz-spring-aot.aot" \
  -Dspring.aot.enabled=true -jar "$work/ext/grizz-engine.jar"
# shellcheck disable=SC2086
variant "extracted + Spring AOT + AOT cache + small flags" -XX:AOTCache="$work/grizz-spring-aot.aot" \
  -Dspring.aot.enabled=true $small -jar "$work/ext/grizz-engine.jar"
echo "AOT cache: $(du -m "$work/grizz.aot" | cut -f1) MB; $(nproc) cores; $(date -u +%Y-%m-%d)"
