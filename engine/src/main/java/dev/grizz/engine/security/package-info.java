/**
 * Who is calling. Owns the {@code users} table. Until authentication lands every request acts as
 * the built-in local user.
 */
@NullMarked
package dev.grizz.engine.security;

import org.jspecify.annotations.NullMarked;
