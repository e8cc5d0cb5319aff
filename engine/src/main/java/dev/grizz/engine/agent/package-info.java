/**
 * Answering, the one way: what every answer goes through whoever asked and wherever it goes (a chat
 * step's event log, or straight back to a {@code /v1} caller). {@link
 * dev.grizz.engine.agent.Answering#admit} checks what comes in (content policy, budgets) and {@link
 * dev.grizz.engine.agent.Answering#run} makes the answer (router, fallback, pricing) and checks
 * what goes out. Where the answer goes and how it is stored and billed is the caller's.
 */
@NullMarked
package dev.grizz.engine.agent;

import org.jspecify.annotations.NullMarked;
