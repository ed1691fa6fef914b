package app.liuliang.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** LIULIANG_LOG_DIR's configuration: a rolling, gzipped, bounded file; the console config is the default. */
class LogFilesTest {

  @Test
  void productionLoggingRollsCompressesAndIsBounded() throws Exception {
    Path dir = Files.createTempDirectory("liuliang-logs");
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    assertThat(root.getAppender("STDOUT")).isNotNull();
    assertThat(root.getAppender("FILE")).as("tests and the sandbox log to the console only").isNull();
    try {
      LogFiles.useDirectory(dir);
      LoggerFactory.getLogger("app.liuliang.logging.LogFilesTest").info("a line for the file");
      Appender<ILoggingEvent> file = root.getAppender("FILE");
      assertThat(file).isInstanceOf(RollingFileAppender.class);
      RollingFileAppender<ILoggingEvent> rolling = (RollingFileAppender<ILoggingEvent>) file;
      assertThat(rolling.getFile()).isEqualTo(dir.toAbsolutePath().resolve("liuliang.log").toString());
      SizeAndTimeBasedRollingPolicy<?> policy = (SizeAndTimeBasedRollingPolicy<?>) rolling.getRollingPolicy();
      assertThat(policy.getFileNamePattern()).endsWith("liuliang.%d{yyyy-MM-dd}.%i.log.gz");
      assertThat(policy.getMaxHistory()).isEqualTo(14);
      assertThat(((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("me.chanjar.weixin").getLevel().toString())
          .as("WxJava (it logs the access token) stays silenced").isEqualTo("OFF");
      assertThat(Files.readString(dir.resolve("liuliang.log"))).contains("INFO  [").contains("a line for the file");
    } finally {
      LogFiles.useConsole();
    }
    assertThat(root.getAppender("FILE")).isNull();
    assertThat(root.getAppender("STDOUT")).isNotNull();
  }
}
