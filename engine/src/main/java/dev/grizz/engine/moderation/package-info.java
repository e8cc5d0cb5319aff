/**
 * Content moderation and its violation log. Owns the {@code policy_violations} table; for now it
 * only keeps and erases the log (checking content arrives with the moderation work).
 */
@NullMarked
package dev.grizz.engine.moderation;

import org.jspecify.annotations.NullMarked;
