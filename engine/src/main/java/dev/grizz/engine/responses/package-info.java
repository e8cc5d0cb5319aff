/**
 * Responses kept by the OpenAI-compatible Responses API ({@code store}) so a later request can
 * continue one by its id. Owns the {@code responses} table; {@link
 * dev.grizz.engine.responses.StoredResponses} is the only way in. Items are kept as the API's JSON:
 * nothing here knows a model or a provider.
 */
@NullMarked
package dev.grizz.engine.responses;

import org.jspecify.annotations.NullMarked;
