#!/usr/bin/env bash
# Builds the engine image's base without a registry: Debian 13 (debootstrap --variant=minbase, from
# Debian's mirror) with PostgreSQL's client tools (pg_dump/pg_restore for the scheduled backups) and a
# Java 25 runtime made by jlink from the machine's JDK, committed with buildah as a local image.
# deploy/image/build-and-run.sh builds the repository's Dockerfile on it (RUNTIME_IMAGE build arg);
# elsewhere the Dockerfile's default base (eclipse-temurin:25-jre) is pulled instead.
#
# Cached like sandbox/vm/build.sh: the debootstrap tree under $GRIZZ_IMAGE_CACHE/rootfs-<hash> (hash
# of the suite and packages), the runtime under jre-<hash> (hash of the JDK's release file and the
# module list), and the image localhost/grizz-base:<hash of both and this script> in buildah's store
# under $GRIZZ_IMAGE_CACHE/storage. A machine's first run pays debootstrap (minutes); later runs
# find the image and take about a second.
#
# Needs root, debootstrap and buildah (apt-get install debootstrap buildah). Prints the image name.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${GRIZZ_IMAGE_CACHE:-/var/cache/grizz/image}"
jdk="${GRIZZ_IMAGE_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
suite=trixie
mirror="${GRIZZ_IMAGE_MIRROR:-http://deb.debian.org/debian}"
# postgresql-client: pg_dump 17, Debian 13's (dumps PostgreSQL 17 and older: the compose file's 15,
# the embedded 14). ca-certificates: the system store, for tools other than Java (curl-less image).
packages=postgresql-client,ca-certificates
# What the engine and its libraries use (jdeps over the jar, plus what is reached reflectively:
# jdk.crypto.ec/cryptoki for TLS, jdk.naming.dns for Netty's resolver, jdk.management for the
# actuator, jdk.jfr, jdk.unsupported for Netty and Kotlin, jdk.zipfs, jdk.localedata, jdk.charsets).
modules=java.se,jdk.unsupported,jdk.management,jdk.management.agent,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.naming.dns,jdk.net,jdk.jfr,jdk.zipfs,jdk.localedata,jdk.charsets,jdk.httpserver,jdk.security.auth,jdk.security.jgss,jdk.jdwp.agent,jdk.jcmd
buildah=(buildah --root "$cache/storage" --runroot /run/grizz-image-storage --storage-driver vfs)

[ "$(id -u)" = 0 ] || { echo "build-base.sh: needs root (debootstrap, buildah)" >&2; exit 1; }
for tool in debootstrap buildah; do
  command -v "$tool" >/dev/null || { echo "build-base.sh: missing $tool" >&2; exit 1; }
done
[ -x "$jdk/bin/jlink" ] || { echo "build-base.sh: no JDK 25 at $jdk" >&2; exit 1; }
mkdir -p "$cache"

rootfs_hash="$(echo "$suite $packages" | sha256sum | cut -c1-16)"
jre_hash="$({ cat "$jdk/release"; echo "$modules"; } | sha256sum | cut -c1-16)"
hash="$({ cat "$here/build-base.sh"; echo "$rootfs_hash $jre_hash"; } | sha256sum | cut -c1-16)"
image="localhost/grizz-base:$hash"
if "${buildah[@]}" inspect --type image "$image" >/dev/null 2>&1; then
  echo "$image"
  exit 0
fi
started=$SECONDS

# 1. Debian 13 with the client tools (the slow step, cached on its own).
rootfs="$cache/rootfs-$rootfs_hash"
if [ ! -f "$rootfs.done" ]; then
  rm -rf "$rootfs"
  debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs" "$mirror" > "$cache/debootstrap.log" 2>&1 \
    || { tail -30 "$cache/debootstrap.log" >&2; exit 1; }
  # Nothing a container needs at run time: apt's lists and caches, docs, man pages, locales.
  rm -rf "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
    "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/log/* "$rootfs"/tmp/*
  find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} + 2>/dev/null || true
  touch "$rootfs.done"
fi

# 2. The Java runtime: jlink'd from the machine's JDK, with its default CDS archive.
jre="$cache/jre-$jre_hash"
if [ ! -f "$jre.done" ]; then
  rm -rf "$jre"
  "$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --generate-cds-archive --output "$jre" > /dev/null
  touch "$jre.done"
fi

# 3. The image: the tree plus the runtime at the path the eclipse-temurin images use.
ctr="$("${buildah[@]}" from scratch)"
trap '"${buildah[@]}" rm "$ctr" >/dev/null 2>&1 || true' EXIT
mnt="$("${buildah[@]}" mount "$ctr")"
cp -a "$rootfs"/. "$mnt"/
mkdir -p "$mnt/opt/java"
cp -a "$jre" "$mnt/opt/java/openjdk"
"${buildah[@]}" umount "$ctr" >/dev/null
"${buildah[@]}" config \
  --env JAVA_HOME=/opt/java/openjdk \
  --env PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env LANG=C.UTF-8 \
  --cmd '["java", "-version"]' \
  --label "dev.grizz.base.packages=$packages" \
  --label "dev.grizz.base.java=$(awk -F'"' '/^JAVA_RUNTIME_VERSION=/{print $2}' "$jdk/release")" \
  "$ctr"
"${buildah[@]}" commit -q --rm "$ctr" "$image" >/dev/null
trap - EXIT
# Older bases are dead weight once this one exists.
"${buildah[@]}" images --format '{{.Name}}:{{.Tag}}' | grep '^localhost/grizz-base:' | grep -v ":$hash\$" \
  | xargs -r "${buildah[@]}" rmi >/dev/null 2>&1 || true
echo "built $image in $((SECONDS - started)) s" >&2
echo "$image"
