package dev.grizz.engine.tool;

import java.util.List;
import java.util.UUID;

/**
 * Tools that come and go (an MCP server's, a user's own servers'): asked each time the registry
 * lists what a user may call. A source that cannot answer (its server is down) returns what it last
 * knew or nothing; should it throw, the registry leaves its tools out and logs why.
 */
public interface ToolSource {

  /** The tools this source offers {@code userId} now. */
  List<Tool> tools(UUID userId);
}
