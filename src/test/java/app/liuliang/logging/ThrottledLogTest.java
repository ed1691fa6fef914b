package app.liuliang.logging;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.testing.MutableClock;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A fault storm (three kinds of failure, 100 a second for ten minutes) logs a bounded number of lines, and loses no count. */
class ThrottledLogTest {

  private static final Pattern MORE = Pattern.compile("(\\d+) more like it in the last 60 s");

  @Test
  void aFaultStormIsSummarisedPerKindAndMinute() {
    Logger logger = (Logger) LoggerFactory.getLogger("throttled-storm-test");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    MutableClock clock = new MutableClock(Instant.parse("2026-12-02T08:00:00Z"));
    ThrottledLog throttled = new ThrottledLog(logger, clock, Duration.ofMinutes(1));
    String[] kinds = {"/cgi-bin/externalcontact/send_welcome_msg 45009", "/cgi-bin/externalcontact/get NOT_SENT", "retry change_external_contact"};
    int calls = 0;
    for (int tenMs = 0; tenMs < 60_000; tenMs++) {
      String kind = kinds[tenMs % 3];
      if (tenMs % 3 == 2) {
        throttled.info(kind, "inbox event " + tenMs + " failed");
      } else {
        throttled.warn(kind, "outbox " + tenMs + " " + kind);
      }
      calls++;
      clock.advance(Duration.ofMillis(10));
    }
    throttled.warn(kinds[0], "after the storm");
    calls++;
    clock.advance(Duration.ofMinutes(1));
    throttled.flush();
    throttled.flush();
    logger.detachAppender(lines);

    List<ILoggingEvent> logged = lines.list;
    System.out.printf("fault storm: %d failures in 10 min, %d lines logged%n", calls, logged.size());
    assertThat(logged.size()).isLessThanOrEqualTo(3 * 10 + 3 + 3);
    // A summary written by flush() (it starts with the kind) stands for no occurrence of its own.
    long accounted = logged.stream().filter(e -> !List.of(kinds).contains(e.getFormattedMessage().split(":")[0])).count();
    for (ILoggingEvent e : logged) {
      Matcher m = MORE.matcher(e.getFormattedMessage());
      if (m.find()) {
        accounted += Long.parseLong(m.group(1));
      }
    }
    assertThat(accounted).as("every occurrence is either a line or counted in one").isEqualTo(calls);
    assertThat(logged).filteredOn(e -> e.getLevel() == Level.INFO).isNotEmpty()
        .allMatch(e -> e.getFormattedMessage().startsWith("inbox event"));
  }
}
