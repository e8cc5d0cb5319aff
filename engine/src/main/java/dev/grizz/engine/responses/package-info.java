/**
 * OpenAI's Responses API ({@link dev.grizz.engine.responses.ResponsesService}): its request read
 * into the typed model, its response objects, output items and streamed events, and background
 * responses run by the agent's workers ({@code ResponseStepRunner}, a runner of {@code response}
 * steps). Stored responses live in the conversation graph ({@link
 * dev.grizz.engine.conversation.ResponseChains}).
 */
@NullMarked
package dev.grizz.engine.responses;

import org.jspecify.annotations.NullMarked;
