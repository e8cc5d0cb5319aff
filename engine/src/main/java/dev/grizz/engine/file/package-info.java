/**
 * Files of a conversation ({@link dev.grizz.engine.file.FileStore}): what a user uploads for the
 * code sandbox to read, and what code in the sandbox writes (a chart, a CSV), kept in PostgreSQL so
 * that any pod serves them and a reload shows them. Owns the {@code files} table.
 */
@NullMarked
package dev.grizz.engine.file;

import org.jspecify.annotations.NullMarked;
