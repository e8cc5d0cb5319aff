package dev.grizz.engine.config;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * Reports a start-up failure that Spring could explain as a single line on stderr, so an operator
 * reads the cause at once instead of a stack trace. Replaces Boot's multi-line report, whose logger
 * is switched off in application.properties.
 */
final class OneLineFailureReporter implements FailureAnalysisReporter {

  @Override
  public void report(FailureAnalysis analysis) {
    StringBuilder line =
        new StringBuilder("grizz: cannot start: ").append(flat(analysis.getDescription()));
    String action = analysis.getAction();
    if (action != null && !action.isBlank()) {
      line.append(" (").append(flat(action)).append(')');
    }
    System.err.println(line);
    System.err.flush();
  }

  private static String flat(String text) {
    return text.strip().replaceAll("\\s+", " ");
  }
}
