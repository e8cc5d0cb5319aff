/**
 * The {@code code_interpreter} tool: a stateful Python session per conversation in a sandbox
 * ({@link dev.grizz.engine.sandbox}), chosen at start-up by {@code grizz.sandbox.backend}. {@link
 * dev.grizz.engine.codeinterpreter.CodeSessions} keeps each conversation's session on the pod that
 * started it (variables and files last between calls until it idles out), copies the conversation's
 * files into {@code /mnt/data} when a session starts, keeps the files code writes there ({@link
 * dev.grizz.engine.file.FileStore}), and holds the limits: sessions per user and per pod, sandbox
 * seconds per user and day. Owns the {@code sandbox_usage} table.
 */
@NullMarked
package dev.grizz.engine.codeinterpreter;

import org.jspecify.annotations.NullMarked;
