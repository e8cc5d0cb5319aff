package dev.grizz.engine.chat;

import dev.grizz.engine.llm.DemoProviderAccess;

/** The demo provider's full reply to a prompt, for tests that cut it short. */
final class DemoReplies {
  private DemoReplies() {}

  static String full(String prompt) {
    return DemoProviderAccess.reply(prompt);
  }
}
