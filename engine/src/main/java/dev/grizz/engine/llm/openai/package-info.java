/**
 * The adapter for OpenAI's Chat Completions API and every server that speaks it (Mistral, Ollama,
 * vLLM, LM Studio), on the official OpenAI Java SDK.
 */
@NullMarked
package dev.grizz.engine.llm.openai;

import org.jspecify.annotations.NullMarked;
