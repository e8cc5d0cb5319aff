package dev.grizz.engine.moderation;

import java.util.List;
import java.util.Map;

/** Scores a text per category; what to do about the scores is {@link ModerationPolicy}'s job. */
@FunctionalInterface
interface Moderator {

  /** OpenAI's moderation categories; every moderator reports in these names. */
  List<String> CATEGORIES =
      List.of(
          "harassment",
          "harassment/threatening",
          "hate",
          "hate/threatening",
          "illicit",
          "illicit/violent",
          "self-harm",
          "self-harm/intent",
          "self-harm/instructions",
          "sexual",
          "sexual/minors",
          "violence",
          "violence/graphic");

  /**
   * Each category's score, 0..1; categories the moderator does not know may be left out.
   *
   * @throws RuntimeException when the moderator cannot answer (a remote one is down)
   */
  Map<String, Double> scores(String text);
}
