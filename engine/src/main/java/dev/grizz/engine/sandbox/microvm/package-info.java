/**
 * The {@code microvm} sandbox backend: each session is a KVM guest of qemu's {@code microvm}
 * machine (Debian's cloud kernel, a read-only Debian root image built by {@code
 * sandbox/vm/build.sh}, no network device), its Python reached over a virtio-serial port; a pool of
 * booted guests makes a session's start a hand-over instead of a boot.
 */
@NullMarked
package dev.grizz.engine.sandbox.microvm;

import org.jspecify.annotations.NullMarked;
