/** The Grizz engine: a streaming chat AI engine. Each sub-package is one feature. */
@NullMarked
package dev.grizz.engine;

import org.jspecify.annotations.NullMarked;
