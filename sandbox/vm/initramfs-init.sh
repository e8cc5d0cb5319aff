#!/bin/busybox sh
# The micro-VM's first PID 1 (in the initramfs): load the virtio drivers the Debian cloud kernel
# builds as modules, mount the read-only root image (/dev/vda) and hand over to its init.
bb=/bin/busybox
$bb mount -t devtmpfs -o nosuid,noexec devtmpfs /dev
for m in virtio_ring virtio virtio_mmio virtio_blk virtio_console squashfs; do
  $bb insmod /lib/modules/$m.ko
done
i=0
while [ ! -b /dev/vda ] && [ $i -lt 200 ]; do $bb usleep 1000; i=$((i + 1)); done
$bb mount -t squashfs -o ro /dev/vda /newroot 2>/dev/null \
  || $bb mount -t ext4 -o ro,noload /dev/vda /newroot \
  || { echo "grizz initramfs: cannot mount /dev/vda" > /dev/hvc0; exit 1; }
$bb mount --move /dev /newroot/dev
exec $bb switch_root /newroot /sbin/grizz-init
