/**
 * Backups of the database: the {@code backup} and {@code restore} commands over pg_dump and
 * pg_restore, and the scheduled backup inside the engine (one pod at a time, by advisory lock) with
 * local retention and optional copies to S3-compatible storage.
 */
@NullMarked
package dev.grizz.engine.backup;

import org.jspecify.annotations.NullMarked;
