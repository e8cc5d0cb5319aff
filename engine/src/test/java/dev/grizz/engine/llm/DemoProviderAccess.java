package dev.grizz.engine.llm;

/** Lets tests of other packages compute the demo provider's reply. */
public final class DemoProviderAccess {
  private DemoProviderAccess() {}

  public static String reply(String prompt) {
    return DemoProvider.reply(prompt);
  }
}
