/**
 * MCP servers' tools, offered to the model as {@link dev.grizz.engine.tool.ToolSource}s: the
 * servers the operator configures ({@code GRIZZ_MCP_SERVERS}, stdio or Streamable HTTP, offered to
 * every user) and the Streamable HTTP servers each user adds for themselves ({@link
 * dev.grizz.engine.mcp.UserMcpServers}, offered to that user only, their header values encrypted at
 * rest). A server that is down, slow or answers garbage never fails start-up, a step or the engine:
 * its tools are what was last known (or none), and a call to it is an error result in plain words.
 */
@NullMarked
package dev.grizz.engine.mcp;

import org.jspecify.annotations.NullMarked;
