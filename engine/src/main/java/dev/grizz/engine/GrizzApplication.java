package dev.grizz.engine;

import dev.grizz.engine.backup.BackupCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.core.metrics.jfr.FlightRecorderApplicationStartup;

/** The Grizz engine. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GrizzApplication {

  private static final String COMMONS_LOGGING_FACTORY = "org.apache.commons.logging.LogFactory";

  public static void main(String[] args) {
    if (BackupCommand.handles(args)) {
      System.exit(BackupCommand.run(args, System.getenv()));
    }
    // Spring logs through commons-logging, whose discovery (a service-loader scan of every jar and
    // probes for absent logging APIs) cost ~40 ms at start; it would pick this factory anyway.
    if (System.getProperty(COMMONS_LOGGING_FACTORY) == null) {
      System.setProperty(
          COMMONS_LOGGING_FACTORY, "org.apache.commons.logging.impl.Slf4jLogFactory");
    }
    try {
      SpringApplication application = new SpringApplication(GrizzApplication.class);
      if (Boolean.getBoolean("grizz.startup.jfr")) {
        // Each bean's creation becomes a JFR event: bench/startup.sh uses it to show where start-up
        // goes.
        application.setApplicationStartup(new FlightRecorderApplicationStartup());
      }
      application.run(args);
    } catch (SpringApplication.AbandonedRunException buildTimeProcessing) {
      // Spring AOT's build-time processing ends the run this way; it is not a start-up failure.
      throw buildTimeProcessing;
    } catch (RuntimeException startFailed) {
      // Spring has already reported the failure (configuration errors as one line, see
      // config.OneLineFailureReporter); rethrowing would only add a stack trace.
      System.exit(1);
    }
  }
}
