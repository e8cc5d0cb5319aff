/**
 * Code execution sandboxes (the {@code code_interpreter} tool's engine): a {@link
 * dev.grizz.engine.sandbox.SandboxBackend} starts {@link dev.grizz.engine.sandbox.SandboxSession}s,
 * each a stateful Python 3 process isolated from the engine, the network and other sessions.
 *
 * <p>Every backend runs the same guest program ({@code kernel.py}, a resource of this package) and
 * speaks to it the same protocol ({@code KernelProtocol}): a backend only decides how the process
 * is isolated and how its byte stream reaches the engine (pipes for a process sandbox, a virtio
 * console for a micro-VM). Files move only through that protocol: the engine never opens a path the
 * sandboxed code could have written, so a symlink made inside a sandbox cannot make the engine read
 * a host file.
 *
 * <p>The shared pieces: {@link dev.grizz.engine.sandbox.KernelProtocol} (the bootstrap, the frames)
 * and {@link dev.grizz.engine.sandbox.KernelSession} (a session over any pair of streams plus a
 * {@link dev.grizz.engine.sandbox.KernelSession.Host} that kills the sandbox and says why it died),
 * which enforces the output cap and each call's deadline from the engine's side. The first backend
 * is {@link dev.grizz.engine.sandbox.BubblewrapBackend}; the tests' {@code
 * SandboxIsolationContract} is what every backend must pass.
 */
@NullMarked
package dev.grizz.engine.sandbox;

import org.jspecify.annotations.NullMarked;
