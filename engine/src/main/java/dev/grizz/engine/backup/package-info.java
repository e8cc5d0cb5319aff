/**
 * Backups of the database: {@code backup} and {@code restore} commands over pg_dump and pg_restore.
 */
@NullMarked
package dev.grizz.engine.backup;

import org.jspecify.annotations.NullMarked;
