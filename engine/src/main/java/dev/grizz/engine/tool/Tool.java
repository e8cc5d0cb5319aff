package dev.grizz.engine.tool;

/**
 * A function the engine runs when a model asks for it. Register one as a Spring bean (it is then
 * offered to every user) or offer tools through a {@link ToolSource}. A tool keeps no state between
 * calls: what a call needs comes in its {@link ToolInput}, and it may run on any pod, more than
 * once if its limits say it is idempotent.
 */
public interface Tool {

  /** Its name, description, argument schema and limits. */
  ToolDefinition definition();

  /**
   * Runs one call with arguments that already match the schema. Whatever it throws becomes an error
   * result the model is told about; it never fails the step. A long call should watch {@link
   * ToolInput#cancel()} (it fires on the user's cancel and at the time limit).
   */
  ToolOutput call(ToolInput input) throws Exception;

  /**
   * False when the operator turned the tool off: it is then neither listed nor callable, and its
   * name is free for a source's tool. A setting, not a conditional bean, because Spring AOT fixes
   * the set of beans at build time and the Docker image runs with AOT on.
   */
  default boolean enabled() {
    return true;
  }
}
