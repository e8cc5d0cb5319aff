package dev.grizz.engine.sandbox.microvm;

import dev.grizz.engine.sandbox.SandboxException;
import dev.grizz.engine.sandbox.pool.PooledSandbox;
import dev.grizz.engine.sandbox.pool.SandboxShape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One running guest: a {@code qemu-system-x86_64 -M microvm} process with KVM (or TCG, see {@link
 * MicroVmAccel}), one vCPU, the session's memory, no network device and no shared host directory.
 * Its devices: the read-only root image on virtio-blk and one virtio-serial controller with three
 * ports: the console (kernel and guest errors, to {@code console.log} in the VM's run directory),
 * the protocol port (qemu's stdin and stdout, so the process's pipes are the session's byte stream)
 * and the control port (a unix socket the engine listens on, where the guest says {@code up} once
 * booted). A call's deadline is kernel.py's own; past it plus {@link
 * dev.grizz.engine.sandbox.KernelSession#GRACE} the session kills the VM.
 *
 * <p>At launch the engine writes the bootstrap program (base64, one line) to the protocol port; the
 * guest's init runs it as {@code python3 -u -I -c} once booted, so a VM in the pool is a started
 * Python waiting for its first protocol line.
 */
final class MicroVm implements PooledSandbox {

  private final Process process;
  private final Path runDir;
  private final SocketChannel control;
  private final Duration bootTime;
  private final AtomicBoolean closed = new AtomicBoolean();

  private MicroVm(Process process, Path runDir, SocketChannel control, Duration bootTime) {
    this.process = process;
    this.runDir = runDir;
    this.control = control;
    this.bootTime = bootTime;
  }

  /** Launches a VM and waits until its init reports {@code up}. */
  static MicroVm boot(MicroVmConfig config, SandboxShape shape, String bootstrap)
      throws SandboxException {
    long started = System.nanoTime();
    Path runDir;
    try {
      runDir = Files.createTempDirectory(config.runDir(), "vm-");
    } catch (IOException e) {
      throw new SandboxException("cannot create the VM's run directory: " + e.getMessage(), e);
    }
    Path socket = runDir.resolve("ctl");
    Process process = null;
    ServerSocketChannel listener = null;
    try {
      listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      listener.bind(UnixDomainSocketAddress.of(socket));
      ProcessBuilder pb = new ProcessBuilder(command(config, shape, runDir, socket));
      pb.redirectError(runDir.resolve("qemu.err").toFile());
      process = pb.start();
      OutputStream in = process.getOutputStream();
      in.write(
          (Base64.getEncoder().encodeToString(bootstrap.getBytes(StandardCharsets.UTF_8)) + "\n")
              .getBytes(StandardCharsets.US_ASCII));
      in.flush();
      Process p = process;
      ServerSocketChannel l = listener;
      // A watchdog: past the boot timeout (or when qemu dies) the listener and qemu are closed,
      // which ends the accept or read below.
      Thread watchdog =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      if (!p.waitFor(config.bootTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                        p.destroyForcibly();
                      }
                    } catch (InterruptedException e) {
                      return;
                    }
                    closeQuietly(l);
                  });
      SocketChannel control;
      try {
        control = listener.accept();
        String line = readLine(control);
        if (!"up".equals(line)) {
          throw new IOException("the guest said " + line + " instead of up");
        }
      } finally {
        watchdog.interrupt();
      }
      return new MicroVm(process, runDir, control, Duration.ofNanos(System.nanoTime() - started));
    } catch (IOException e) {
      String why = diagnosis(runDir, process);
      if (process != null) {
        process.destroyForcibly();
      }
      deleteRunDir(runDir);
      throw new SandboxException("the micro-VM did not boot: " + why, e);
    } finally {
      if (listener != null) {
        closeQuietly(listener);
      }
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing only to wake a blocked accept, or to free the socket
    }
  }

  static List<String> command(MicroVmConfig config, SandboxShape shape, Path runDir, Path socket) {
    MicroVmImage image = config.image();
    String append =
        "console=hvc0 quiet loglevel=1 panic=-1 reboot=t tsc=reliable no_timer_check"
            + " cryptomgr.notests random.trust_cpu=on 8250.nr_uarts=0 pci=off"
            + " grizz.disk="
            + shape.maxDiskBytes()
            + " grizz.nproc="
            + shape.maxProcesses()
            + " grizz.fsize="
            + shape.maxFileBytes()
            + config.accel().kernelArgs();
    List<String> command = new ArrayList<>();
    command.add(config.qemu().toString());
    command.add("-M");
    // PIT and PIC stay at qemu's default: without a PIT the guest cannot calibrate its TSC. The
    // RTC is on: without one the kernel waits a second for it twice while booting.
    command.add("microvm,x-option-roms=off,isa-serial=off,rtc=on");
    command.addAll(config.accel().qemuArgs());
    command.addAll(
        List.of(
            "-smp",
            "1",
            "-m",
            (shape.memoryBytes() >> 20) + "M",
            "-nodefaults",
            "-no-user-config",
            "-display",
            "none",
            "-no-reboot",
            "-sandbox",
            "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny",
            "-kernel",
            image.kernel().toString(),
            "-initrd",
            image.initrd().toString(),
            "-append",
            append,
            "-drive",
            "id=root,file=" + image.rootfs() + ",format=raw,if=none,readonly=on",
            "-device",
            "virtio-blk-device,drive=root",
            "-device",
            "virtio-serial-device,max_ports=3",
            "-chardev",
            "file,id=con,path=" + runDir.resolve("console.log"),
            "-device",
            "virtconsole,chardev=con,nr=0",
            "-chardev",
            "stdio,id=data,signal=off",
            "-device",
            "virtserialport,chardev=data,nr=1,name=grizz",
            "-chardev",
            "socket,id=ctl,path=" + socket,
            "-device",
            "virtserialport,chardev=ctl,nr=2,name=grizz-ctl"));
    return command;
  }

  /** The guest's protocol output (qemu's stdout). */
  @Override
  public InputStream fromGuest() {
    return process.getInputStream();
  }

  /** The guest's protocol input (qemu's stdin). */
  @Override
  public OutputStream toGuest() {
    return process.getOutputStream();
  }

  @Override
  public boolean alive() {
    return !closed.get() && process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  Duration bootTime() {
    return bootTime;
  }

  /** The last lines of the guest console, for a message when the VM died. */
  @Override
  public String deathReason() {
    return "the micro-VM stopped (out of memory, a crash, or killed): " + diagnosis(runDir, null);
  }

  /** Kills qemu (SIGKILL) and deletes the run directory; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    process.destroyForcibly();
    try {
      control.close();
    } catch (IOException ignored) {
      // the process is gone either way
    }
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteRunDir(runDir);
  }

  private static String readLine(SocketChannel channel) throws IOException {
    InputStream in = Channels.newInputStream(channel);
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0 || line.length() > 256) {
        throw new IOException("the control port closed before the guest was up");
      }
      line.append((char) c);
    }
    return line.toString();
  }

  private static String diagnosis(Path runDir, @Nullable Process process) {
    StringBuilder why = new StringBuilder();
    if (process != null && !process.isAlive()) {
      why.append("qemu exited with ").append(process.exitValue()).append(". ");
    }
    for (String name : new String[] {"qemu.err", "console.log"}) {
      try {
        String text = Files.readString(runDir.resolve(name), StandardCharsets.UTF_8).strip();
        if (!text.isEmpty()) {
          why.append(name)
              .append(": ")
              .append(text.substring(Math.max(0, text.length() - 800)))
              .append(' ');
        }
      } catch (IOException ignored) {
        // not written
      }
    }
    return why.isEmpty() ? "no output from qemu or the guest" : why.toString().strip();
  }

  private static void deleteRunDir(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory; the OS cleans it eventually
    }
  }
}
