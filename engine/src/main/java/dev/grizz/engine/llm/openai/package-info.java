/**
 * The adapter for OpenAI's Chat Completions API and every server that speaks it (Mistral, Ollama,
 * vLLM, LM Studio): the shared OkHttp client, okhttp-sse's event reader and Jackson, no vendor SDK.
 */
@NullMarked
package dev.grizz.engine.llm.openai;

import org.jspecify.annotations.NullMarked;
