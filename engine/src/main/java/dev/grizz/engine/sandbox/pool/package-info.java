/**
 * What the backends that start a whole sandbox per session share (the micro-VM and gVisor): a
 * {@link dev.grizz.engine.sandbox.pool.WarmPool} of started sandboxes, the {@link
 * dev.grizz.engine.sandbox.pool.SandboxShape} a pooled sandbox can serve, and {@link
 * dev.grizz.engine.sandbox.pool.PooledBackend}, which hands a pooled (or freshly started) {@link
 * dev.grizz.engine.sandbox.pool.PooledSandbox} to a session and keeps count of the running ones.
 */
@NullMarked
package dev.grizz.engine.sandbox.pool;

import org.jspecify.annotations.NullMarked;
