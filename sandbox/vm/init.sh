#!/bin/sh
# PID 1 of the sandbox VM's root filesystem (installed as /sbin/grizz-init by build.sh).
#
# Mounts /proc, a read-only /sys and one size-limited tmpfs holding /tmp and /mnt/data (so the two
# share the session's disk limit), then reads one line from the protocol port (virtio-serial port
# 1, named grizz): the engine's bootstrap program, base64-encoded. It runs that program as
# `python3 -u -I -c BOOTSTRAP` under an unprivileged user (uid 1000, no capabilities, no_new_privs, rlimits
# from the kernel command line) with stdin and stdout on the port; the bootstrap reads the kernel
# program from the same port. Port 2 is the control port: this script writes "up" there once Python
# is started. Ports are found by the names qemu gives them (grizz, grizz-ctl): their device numbers
# depend on the order the virtio devices probe in (the root disk is usually virtio0, so the ports
# are /dev/vport1pN), and there is no udev here to make /dev/virtio-ports/NAME links. When Python exits (or is killed: out of memory), this script reboots
# the guest at once through sysrq, and qemu, run with -no-reboot, exits; should that fail, PID 1's
# exit panics the kernel (panic=-1: reboot) to the same end.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
mount -t proc -o nosuid,nodev,noexec proc /proc
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs /sys
disk=268435456 nproc=64 fsize=67108864 nofile=1024
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    grizz.disk=*) disk="${arg#*=}" ;;
    grizz.nproc=*) nproc="${arg#*=}" ;;
    grizz.fsize=*) fsize="${arg#*=}" ;;
  esac
done
mount -t tmpfs -o "size=$disk,mode=755,nosuid,nodev" scratch /run/scratch
mkdir -m 1777 /run/scratch/tmp
mkdir -m 700 /run/scratch/data /run/scratch/tmp/.mpl
cp /etc/matplotlib/* /run/scratch/tmp/.mpl/ 2>/dev/null
chown 1000:1000 /run/scratch/data /run/scratch/tmp/.mpl /run/scratch/tmp/.mpl/*
mount --bind /run/scratch/tmp /tmp
mount --bind /run/scratch/data /mnt/data
hostname sandbox 2>/dev/null

port() {
  for p in /sys/class/virtio-ports/*; do
    [ "$(cat "$p/name" 2>/dev/null)" = "$1" ] && [ -c "/dev/${p##*/}" ] && { echo "/dev/${p##*/}"; return; }
  done
  echo "grizz-init: no virtio-serial port named $1" > /dev/hvc0
  echo b > /proc/sysrq-trigger
}
data="$(port grizz)"
ctl="$(port grizz-ctl)"
exec 3<>"$data"
# Until the host side of the port is marked connected, a read returns end of file at once (the
# virtio console driver's rule), so the first line is read in as many tries as it takes (30 s).
boot=
tries=0
until IFS= read -r part <&3; do
  boot="$boot$part"
  tries=$((tries + 1))
  if [ "$tries" -ge 3000 ]; then
    echo "grizz-init: no bootstrap line on the protocol port" > /dev/hvc0
    echo b > /proc/sysrq-trigger
  fi
  sleep 0.01
done
boot="$boot$part"
cd /mnt/data
env -i PATH=/usr/bin:/bin HOME=/mnt/data LANG=C.UTF-8 MPLCONFIGDIR=/tmp/.mpl MPLBACKEND=Agg \
  PYTHONDONTWRITEBYTECODE=1 \
  prlimit --nproc="$nproc" --fsize="$fsize" --nofile="$nofile" --core=0 -- \
  setpriv --reuid=1000 --regid=1000 --clear-groups --no-new-privs --inh-caps=-all --bounding-set=-all -- \
  python3 -u -I -c "$(printf '%s' "$boot" | base64 -d)" <&3 >&3 2>/dev/hvc0 &
py=$!
exec 3>&-
# The control port: "up" tells the engine the VM has booted.
echo up > "$ctl"
wait "$py"
echo "grizz-init: python exited ($?)" > /dev/hvc0
echo b > /proc/sysrq-trigger
