package dev.grizz.engine;

import dev.grizz.engine.backup.BackupCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Grizz engine. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GrizzApplication {

  public static void main(String[] args) {
    if (BackupCommand.handles(args)) {
      System.exit(BackupCommand.run(args, System.getenv()));
    }
    try {
      SpringApplication.run(GrizzApplication.class, args);
    } catch (RuntimeException startFailed) {
      // Spring has already reported the failure (configuration errors as one line, see
      // config.OneLineFailureReporter); rethrowing would only add a stack trace.
      System.exit(1);
    }
  }
}
