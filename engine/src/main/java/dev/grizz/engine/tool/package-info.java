/**
 * Tools the engine runs for a model: the contract ({@link dev.grizz.engine.tool.Tool}), where tools
 * come from (beans, and {@link dev.grizz.engine.tool.ToolSource}s such as MCP servers), the
 * registry that lists what a user may call ({@link dev.grizz.engine.tool.ToolRegistry}), and the
 * one way a call is made ({@link dev.grizz.engine.tool.ToolCalls}): arguments checked against the
 * schema, a time limit, a capped result, and every failure a result the model can read, never an
 * exception that fails a step. Tools keep no global state: all a call knows comes in its {@link
 * dev.grizz.engine.tool.ToolInput}.
 */
@NullMarked
package dev.grizz.engine.tool;

import org.jspecify.annotations.NullMarked;
