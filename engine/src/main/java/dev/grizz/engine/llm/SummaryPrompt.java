package dev.grizz.engine.llm;

/**
 * How the engine's instructions to a summarising model open. The demo provider recognises them and
 * answers with a deterministic summary, so summaries work (and can be tested) with no model.
 */
public final class SummaryPrompt {

  public static final String OPENING = "You condense conversations.";

  private SummaryPrompt() {}
}
