/** The adapter for Anthropic's Messages API, on the engine's shared HTTP client. */
@NullMarked
package dev.grizz.engine.llm.anthropic;

import org.jspecify.annotations.NullMarked;
