package dev.grizz.engine.sandbox.microvm;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The guest that {@code sandbox/vm/build.sh} builds: a kernel, an initramfs and a read-only root
 * image, in one directory of its cache ({@code $GRIZZ_VM_CACHE/current}, default {@code
 * /var/cache/grizz/vm/current}).
 *
 * @param dir the image's directory
 */
public record MicroVmImage(Path dir) {

  /** Where build.sh puts its newest image unless {@code GRIZZ_VM_CACHE} says otherwise. */
  public static Path defaultDir() {
    String cache = System.getenv("GRIZZ_VM_CACHE");
    return Path.of(cache == null || cache.isBlank() ? "/var/cache/grizz/vm" : cache, "current");
  }

  public Path kernel() {
    return dir.resolve("vmlinuz");
  }

  public Path initrd() {
    return dir.resolve("initrd.img");
  }

  public Path rootfs() {
    return dir.resolve("rootfs.img");
  }

  /** The unpacked root tree build.sh keeps beside the image (the gVisor backend runs it). */
  public Path rootTree() {
    return dir.resolve("rootfs");
  }

  /** What is missing, with how to build it; null when the image is complete. */
  public @Nullable String missing() {
    for (Path p : new Path[] {kernel(), initrd(), rootfs(), dir.resolve("done")}) {
      if (!Files.isReadable(p)) {
        return "no micro-VM image at "
            + dir
            + " ("
            + p.getFileName()
            + " missing): build it with `sudo sandbox/vm/build.sh` (Debian packages"
            + " debootstrap squashfs-tools e2fsprogs busybox-static zstd; about 3 minutes once)";
      }
    }
    return null;
  }
}
