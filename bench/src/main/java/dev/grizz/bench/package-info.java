/** The load and latency harness: a fake OpenAI-compatible upstream and a load driver. */
@NullMarked
package dev.grizz.bench;

import org.jspecify.annotations.NullMarked;
