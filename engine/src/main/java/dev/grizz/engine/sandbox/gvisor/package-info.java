/**
 * The {@code gvisor} sandbox backend: each session is a {@code runsc} sandbox (gVisor's user-space
 * kernel, ptrace platform) over the micro-VM image's Debian tree, its Python reached over runsc's
 * stdin and stdout; a pool of started sandboxes makes a session's start a hand-over.
 */
@NullMarked
package dev.grizz.engine.sandbox.gvisor;

import org.jspecify.annotations.NullMarked;
