#!/usr/bin/env bash
# Where start-up's CPU goes: one start of the engine jar (Spring AOT + a JDK 25 AOT cache, the small
# flags, the machine's PostgreSQL, no Redis) under async-profiler, sampled until "Grizz ready".
# Prints CPU per thread (the JIT's compiler threads compete with main for the 2 cores) and main's
# time by the bean being created (Spring AOT's Foo__BeanDefinitions frames), then the largest
# inclusive frames. The collapsed stacks stay in $OUT (default /tmp/grizz-startup-profile) for more.
# Usage: bench/startup-profile.sh   (needs engine/target/grizz-engine.jar and Maven for the profiler)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
out=${OUT:-/tmp/grizz-startup-profile}
profiler_version=4.2
mkdir -p "$out"
db="grizz_profile_$$"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cleanup() { psql -h 127.0.0.1 -U postgres -q -c "drop database if exists $db with (force)" postgres || true; }
trap cleanup EXIT
psql -h 127.0.0.1 -U postgres -q -c "create database $db" postgres

agent="$out/linux-x64/libasyncProfiler.so"
if [ ! -f "$agent" ]; then
  mvn -q -B dependency:copy -Dartifact="tools.profiler:async-profiler:$profiler_version" \
    -DoutputDirectory="$out"
  (cd "$out" && unzip -o -q "async-profiler-$profiler_version.jar" 'linux-x64/*')
fi

rm -rf "$out/ext"
"$java" -Djarmode=tools -jar "$repo/engine/target/grizz-engine.jar" extract --destination "$out/ext" > /dev/null
export GRIZZ_DB_URL="jdbc:postgresql://127.0.0.1:5432/$db" GRIZZ_DB_USER=postgres
export GRIZZ_HOME="$out/home" GRIZZ_PORT="$port"
unset GRIZZ_REDIS_URL || true
flags=(-Dspring.aot.enabled=true -XX:+UseSerialGC -Xmx256m -XX:ReservedCodeCacheSize=64m -Xss512k)
# The first start trains the cache and migrates the empty database, as a deployment's first would.
"$java" -XX:AOTCacheOutput="$out/grizz.aot" "${flags[@]}" -Dspring.context.exit=onRefresh \
  -jar "$out/ext/grizz-engine.jar" > "$out/train.log" 2>&1

rm -f "$out/cpu.collapsed"
"$java" -XX:AOTCache="$out/grizz.aot" "${flags[@]}" \
  -agentpath:"$agent"=start,event=cpu,interval=1ms,threads,collapsed,file="$out/cpu.collapsed" \
  -jar "$out/ext/grizz-engine.jar" > "$out/run.log" 2>&1 &
pid=$!
until grep -q "Grizz ready" "$out/run.log" 2>/dev/null; do
  kill -0 "$pid" 2>/dev/null || { tail -5 "$out/run.log"; exit 1; }
  sleep 0.02
done
kill "$pid"; wait "$pid" 2>/dev/null || true # the profile is written as the JVM exits

python3 - "$out/cpu.collapsed" <<'EOF'
import collections, sys

threads, beans, inclusive = collections.Counter(), collections.Counter(), collections.Counter()
main_total = 0
for line in open(sys.argv[1]):
    stack, samples = line.rsplit(" ", 1)
    samples = int(samples)
    frames = stack.split(";")
    thread = frames[0].split(" tid=")[0].strip("[")
    threads[thread] += samples
    # The main thread is called DestroyJavaVM by the time the profile is written.
    if thread != "DestroyJavaVM":
        continue
    main_total += samples
    bean = "(no bean: Spring's own start-up, Tomcat, post-processing)"
    for frame in reversed(frames):
        if "__BeanDefinitions" in frame:
            bean = frame.split("/")[-1].split("__")[0]
            break
    beans[bean] += samples
    for frame in set(frames[1:]):
        inclusive[frame] += samples

print("CPU ms per thread (1 sample = 1 ms):")
for thread, samples in threads.most_common(8):
    print(f"  {samples:6d}  {thread}")
print(f"\nmain thread: {main_total} ms, by the bean being created:")
for bean, samples in beans.most_common(15):
    print(f"  {samples:6d}  {bean}")
print("\nmain thread, largest inclusive frames outside Spring's bean machinery:")
skip = ("springframework/beans", "springframework/context", "SpringApplication", "GrizzApplication",
        "ThrowingSupplier", "ThrowingBiFunction", "java/util/stream", "java/util/concurrent/FutureTask")
shown = [(f, n) for f, n in inclusive.most_common(400) if not any(s in f for s in skip)]
for frame, samples in shown[:25]:
    print(f"  {samples:6d}  {frame[:110]}")
EOF
