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

  private static final String CARRIER_THREADS = "jdk.virtualThreadScheduler.parallelism";

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
    // Before the first virtual thread, which reads it once.
    if (System.getProperty(CARRIER_THREADS) == null) {
      System.setProperty(
          CARRIER_THREADS,
          Integer.toString(carrierThreads(Runtime.getRuntime().availableProcessors())));
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

  /**
   * Threads that run the virtual threads: four per core rather than the JDK's one. A virtual thread
   * runs until it blocks, so with one carrier per core a burst of stream deltas (64 answers whose
   * tokens arrive together) queued every database and Redis reply behind it; with more carriers the
   * OS interleaves them. At 64 streams on 2 cores: first token p50 -35 % on the WebSocket and -45 %
   * on /v1, p99 -25 to -35 %, same CPU (bench/RESULTS.md, session 6).
   */
  static int carrierThreads(int cores) {
    return 4 * Math.max(1, cores);
  }
}
