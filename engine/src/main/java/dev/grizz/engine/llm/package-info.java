/**
 * Language-model providers behind {@link dev.grizz.engine.llm.LlmProvider}, the router that picks
 * one, token counting and prices. Knows nothing of conversations or chat.
 */
@NullMarked
package dev.grizz.engine.llm;

import org.jspecify.annotations.NullMarked;
