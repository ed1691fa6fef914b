package app.liuliang.contact;

import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import app.liuliang.testing.WeComFake;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Log volume through an outage (`scripts/bench.sh outage-logs`): new patients add the assistant at
 * {@code bench.rate}/s (default 20) for {@code bench.seconds} (default 60) while WeCom answers every call
 * busy (45009), then 30 s more while the retries and expiries play out. Prints the lines and bytes
 * logged, by logger and level (also to target/bench-outage-logs.txt). Asserts nothing.
 */
class OutageLogBench {

  @Test
  void logVolumeThroughAnOutage() throws Exception {
    int rate = Integer.getInteger("bench.rate", 20);
    int seconds = Integer.getInteger("bench.seconds", 60);
    Counting counting = new Counting();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    counting.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    counting.start();
    try (WeComFake wecom = new WeComFake(Duration.ofMillis(40));
        TestServer server = TestServer.builder().clock(MutableClock.ticking()).wecom(wecom)
            .without("sop", "campaigns", "journeys.yaml").start()) {
      NewPatientLedger ledger = new NewPatientLedger(wecom, server.clock());
      wecom.fault(WeComFake.Fault.BUSY);
      root.addAppender(counting);
      ledger.burst(server.baseUrl(), "wmLog", rate * seconds, rate, i -> { });
      Thread.sleep(30_000);
      root.detachAppender(counting);
      StringBuilder out = new StringBuilder();
      out.append(String.format("outage of %d s at %d new patients/s (WeCom busy throughout), +30 s: %d lines, %d bytes logged "
          + "(%d callbacks acknowledged)%n", seconds, rate, counting.lines.get(), counting.bytes.get(), ledger.acked()));
      counting.byLogger.forEach((k, v) -> out.append(String.format("  %-45s %7d%n", k, v)));
      System.out.print(out);
      Files.writeString(Path.of("target/bench-outage-logs.txt"), out, StandardCharsets.UTF_8);
    }
  }

  /** Counts what would have been written: one line per event, its formatted length as the bytes. */
  private static final class Counting extends AppenderBase<ILoggingEvent> {
    final AtomicLong lines = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final Map<String, Long> byLogger = new TreeMap<>();

    @Override
    protected void append(ILoggingEvent event) {
      lines.incrementAndGet();
      // date, level, thread and logger as logback.xml's pattern writes them, then the message.
      bytes.addAndGet(40 + event.getThreadName().length() + event.getFormattedMessage().getBytes(StandardCharsets.UTF_8).length);
      String name = event.getLoggerName();
      synchronized (byLogger) {
        byLogger.merge(name.substring(name.lastIndexOf('.') + 1) + " " + event.getLevel(), 1L, Long::sum);
      }
    }
  }
}
