package dev.grizz.engine.imports;

import java.util.LinkedHashMap;
import java.util.Map;

/** What an import left out, by kind: never dropped silently, the answer says it. */
final class ImportCounts {

  int system;
  int tool;
  int otherRoles;
  int nonTextMessages;
  int nonTextParts;
  int emptyMessages;
  int emptyConversations;

  /** The counts as the API shows them (every kind, zero included, so a client need not guess). */
  Map<String, Integer> view() {
    Map<String, Integer> view = new LinkedHashMap<>();
    view.put("system_messages", system);
    view.put("tool_messages", tool);
    view.put("other_role_messages", otherRoles);
    view.put("non_text_messages", nonTextMessages);
    view.put("non_text_parts", nonTextParts);
    view.put("empty_messages", emptyMessages);
    view.put("empty_conversations", emptyConversations);
    return view;
  }
}
