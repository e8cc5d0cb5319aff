/** The adapter for Anthropic's Messages API, on the official Anthropic Java SDK. */
@NullMarked
package dev.grizz.engine.llm.anthropic;

import org.jspecify.annotations.NullMarked;
