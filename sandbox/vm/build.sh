#!/usr/bin/env bash
# Builds the micro-VM sandbox's guest (issue 20) from Debian packages only: a kernel (Debian's cloud
# kernel, vmlinuz taken from its .deb), a tiny initramfs (busybox-static and the virtio modules the
# microvm machine needs) and a read-only root filesystem (debootstrap --variant=minbase bookworm with
# python3, numpy, pandas and matplotlib; this directory's init.sh as PID 1).
#
# Idempotent and cached: the output goes to $GRIZZ_VM_CACHE/<hash>/ (default /var/cache/grizz/vm),
# the hash taken over this directory's files, the package list and the kernel package's version, and
# $GRIZZ_VM_CACHE/current points at the newest build. A second run with the same inputs does
# nothing. The unpacked tree stays as <hash>/rootfs (the gVisor backend's OCI bundle uses it).
#
# Needs root and: debootstrap squashfs-tools e2fsprogs busybox-static zstd (apt-get install).
# Usage: sandbox/vm/build.sh [--print-dir]   (--print-dir: print the image directory and exit 0
# when it is built, exit 1 when not; builds nothing)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${GRIZZ_VM_CACHE:-/var/cache/grizz/vm}"
suite=bookworm
mirror="${GRIZZ_VM_MIRROR:-http://deb.debian.org/debian}"
packages=python3,python3-numpy,python3-pandas,python3-matplotlib
kernel_meta=linux-image-cloud-amd64
# rootfs format: squashfs (zstd) or ext4; see bench/RESULTS.md for which boots faster
rootfs_format="${GRIZZ_VM_ROOTFS:-squashfs}"

kernel_pkg() {
  apt-cache depends "$kernel_meta" 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}'
}
kpkg="$(kernel_pkg || true)"
if [ -z "$kpkg" ]; then
  apt-get update -qq
  kpkg="$(kernel_pkg)"
fi
kver="$(apt-cache policy "$kpkg" | awk '/Candidate:/{print $2}')"
hash="$(
  {
    cat "$here/build.sh" "$here/init.sh" "$here/initramfs-init.sh"
    echo "$suite $packages $kpkg $kver $rootfs_format"
  } | sha256sum | cut -c1-16
)"
out="$cache/$hash"

if [ "${1:-}" = "--print-dir" ]; then
  [ -f "$out/done" ] && { echo "$out"; exit 0; }
  exit 1
fi
if [ -f "$out/done" ]; then
  ln -sfn "$hash" "$cache/current"
  echo "$out (cached)"
  exit 0
fi
[ "$(id -u)" = 0 ] || { echo "build.sh: needs root (debootstrap, chroot)" >&2; exit 1; }
for tool in debootstrap mksquashfs mke2fs zstd; do
  command -v "$tool" >/dev/null || { echo "build.sh: missing $tool" >&2; exit 1; }
done
[ -x /bin/busybox ] && /bin/busybox --list | grep -qx switch_root \
  || { echo "build.sh: missing busybox-static" >&2; exit 1; }

mkdir -p "$cache"
work="$(mktemp -d "$cache/.build-$hash.XXXXXX")"
trap 'rm -rf "$work"' EXIT
started=$SECONDS

# 1. The kernel and its modules, from the package's .deb (not installed on the host).
mkdir -p "$work/deb" "$work/k"
chmod 777 "$work/deb" # apt-get download runs as _apt
(cd "$work/deb" && apt-get download -q "$kpkg=$kver" >/dev/null 2>&1) \
  || { echo "build.sh: apt-get download $kpkg=$kver failed" >&2; exit 1; }
dpkg-deb -x "$work"/deb/*.deb "$work/k"
modver="$(ls "$work/k/lib/modules")"
cp "$work/k/boot/vmlinuz-$modver" "$work/vmlinuz"

# 2. The initramfs: busybox, five modules, /init. It mounts the root image and switches to it.
ird="$work/initramfs"
mkdir -p "$ird"/{bin,dev,proc,newroot,lib/modules}
cp /bin/busybox "$ird/bin/busybox"
for m in virtio virtio_ring virtio_mmio virtio_blk virtio_console squashfs; do
  f="$(find "$work/k/lib/modules/$modver" -name "$m.ko*" | head -1)"
  case "$f" in
    *.xz) xz -dc "$f" > "$ird/lib/modules/$m.ko" ;;
    *.zst) zstd -qdc "$f" > "$ird/lib/modules/$m.ko" ;;
    *) cp "$f" "$ird/lib/modules/$m.ko" ;;
  esac
done
cp "$here/initramfs-init.sh" "$ird/init"
chmod 755 "$ird/init"
(cd "$ird" && find . | /bin/busybox cpio -o -H newc 2>/dev/null | gzip -1 > "$work/initrd.img")

# 3. The root filesystem: debootstrap's tree is cached on its own (by suite and packages), so a
# change to the init or the trimming does not download and unpack the packages again.
base="$cache/base-$(echo "$suite $packages" | sha256sum | cut -c1-16)"
if [ ! -f "$base.done" ]; then
  rm -rf "$base"
  debootstrap --variant=minbase --include="$packages" "$suite" "$base" "$mirror" > "$work/debootstrap.log" 2>&1 \
    || { tail -30 "$work/debootstrap.log" >&2; exit 1; }
  touch "$base.done"
fi
root="$work/rootfs"
cp -a "$base" "$root"
chroot "$root" /usr/sbin/groupadd -g 1000 sandbox
chroot "$root" /usr/sbin/useradd -u 1000 -g 1000 -d /mnt/data -M -s /usr/sbin/nologin sandbox
mkdir -p "$root/mnt/data" "$root/run/scratch" "$root/etc/matplotlib"
install -m 755 "$here/init.sh" "$root/sbin/grizz-init"
# matplotlib's font list, built once here (it takes seconds on first import otherwise); the init
# copies it into the session's writable MPLCONFIGDIR.
chroot "$root" env MPLCONFIGDIR=/etc/matplotlib MPLBACKEND=Agg python3 -c 'import matplotlib.pyplot' >/dev/null
# Nothing the sandbox needs at run time: apt's state, docs, man pages, locales.
rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
  "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/log/* "$root"/tmp/*
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} + 2>/dev/null || true
# debootstrap resolves alternatives by taking the first, so matplotlib's fonttools brings scipy,
# pythran and with it gcc, g++ and boost's headers. Python never compiles anything here: headers,
# compilers' libraries and static archives go (about 400 MB of the 1.3 GB tree).
rm -rf "$root"/usr/include "$root"/usr/lib/gcc "$root"/usr/libexec/gcc
find "$root/usr/lib" -name '*.a' -delete

# 4. The read-only image the VM mounts.
if [ "$rootfs_format" = squashfs ]; then
  mksquashfs "$root" "$work/rootfs.img" -comp zstd -Xcompression-level 3 -noappend -quiet -no-progress >/dev/null
else
  size_mb=$(( $(du -sm "$root" | cut -f1) * 115 / 100 + 32 ))
  mke2fs -q -t ext4 -O ^has_journal -L grizz-root -d "$root" "$work/rootfs.img" "${size_mb}M"
fi
echo "$rootfs_format" > "$work/format"
echo "$kpkg $kver" > "$work/kernel"

# 5. Publish atomically: the directory appears whole or not at all.
rm -rf "$out"
mkdir -p "$out"
mv "$work/vmlinuz" "$work/initrd.img" "$work/rootfs.img" "$work/format" "$work/kernel" "$root" "$out/"
echo "built $(date -u +%FT%TZ) in $((SECONDS - started)) s" > "$out/done"
ln -sfn "$hash" "$cache/current"
# Older images (other hashes) are dead weight once current moved on; debootstrap trees stay.
for old in "$cache"/*; do
  name="$(basename "$old")"
  case "$name" in "$hash" | current | base-*) ;; *) rm -rf "$old" ;; esac
done
echo "$out ($(du -sh "$out/rootfs.img" | cut -f1) rootfs, $((SECONDS - started)) s)"
