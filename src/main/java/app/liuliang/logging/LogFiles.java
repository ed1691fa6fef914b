package app.liuliang.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Production logging: with {@code LIULIANG_LOG_DIR} set, {@code serve} replaces the console-only
 * {@code logback.xml} by {@code logback-files.xml} (rolling by day and size, gzipped, bounded by days
 * and total size). Tests, the sandbox and a terminal keep the console.
 */
public final class LogFiles {

  public static final String LOG_DIR = "LIULIANG_LOG_DIR";
  static final String CONFIG = "/logback-files.xml";

  private LogFiles() {
  }

  /** Switches logging to rolling files in {@code dir}. */
  public static void useDirectory(Path dir) {
    reconfigure(CONFIG, dir);
  }

  /** Back to the console-only configuration (for tests that switched). */
  public static void useConsole() {
    reconfigure("/logback.xml", null);
  }

  private static void reconfigure(String resource, Path dir) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    URL config = LogFiles.class.getResource(resource);
    if (config == null) {
      throw new IllegalStateException(resource + " is missing from the jar");
    }
    context.reset();
    if (dir != null) {
      context.putProperty(LOG_DIR, dir.toAbsolutePath().toString());
    }
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(context);
    try {
      joran.doConfigure(config);
    } catch (JoranException e) {
      throw new IllegalStateException("cannot configure logging from " + resource + ": " + e.getMessage(), e);
    }
  }
}
