/**
 * HTTP adapters: parse, authorize, delegate to a feature's service; map its outcome and errors to
 * the one JSON shape. No business logic and no repositories.
 */
@NullMarked
package dev.grizz.engine.api;

import org.jspecify.annotations.NullMarked;
