/**
 * Tools the engine runs for a model: the contract ({@link dev.grizz.engine.tool.Tool}), where tools
 * come from (beans, and {@link dev.grizz.engine.tool.ToolSource}s such as MCP servers), the
 * registry that lists what a user may call ({@link dev.grizz.engine.tool.ToolRegistry}), and the
 * one way a call is made ({@link dev.grizz.engine.tool.ToolCalls}): arguments checked against the
 * schema, a time limit, a capped result, and every failure a result the model can read, never an
 * exception that fails a step. Tools keep no global state: all a call knows comes in its {@link
 * dev.grizz.engine.tool.ToolInput}.
 *
 * <p>The built-ins are {@code current_time} and {@code fetch_url} (an HTTP GET limited by {@code
 * grizz.tools.fetch.*}, public addresses only by default). Two more are to come, and their names
 * are reserved ({@link dev.grizz.engine.tool.ToolRegistry#RESERVED}): {@code code_interpreter} (the
 * sandbox) and {@code knowledge_search} (the knowledge base). Each plugs in one of two ways, from
 * its own feature package, with no change here:
 *
 * <ul>
 *   <li>as a {@code Tool} bean with a {@link dev.grizz.engine.tool.ToolDefinition#builtin}
 *       definition, when every user is offered it; {@link dev.grizz.engine.tool.Tool#enabled()}
 *       reads the operator's on/off setting (not a conditional bean: Spring AOT fixes the beans at
 *       build time);
 *   <li>as a {@code ToolSource} bean whose tools have the source {@code builtin}, when only some
 *       users are offered it (those with a knowledge base, say), listed afresh for each user.
 * </ul>
 *
 * A source's tool whose source is anything else ({@code mcp:<server>}) cannot take a built-in's
 * name or a reserved one: the registry leaves it out with a warning, so a model never mistakes an
 * MCP server's tool for the engine's checked one. Long calls (code runs) should watch the input's
 * cancel signal and declare their limits (not idempotent, perhaps needing approval) in their
 * definition.
 */
@NullMarked
package dev.grizz.engine.tool;

import org.jspecify.annotations.NullMarked;
