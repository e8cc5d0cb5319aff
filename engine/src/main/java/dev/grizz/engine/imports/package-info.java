/**
 * Conversations brought from other chat services: reads a ChatGPT data export and stores its
 * conversations through {@link dev.grizz.engine.conversation.ConversationImports}. Owns no table.
 */
@NullMarked
package dev.grizz.engine.imports;

import org.jspecify.annotations.NullMarked;
