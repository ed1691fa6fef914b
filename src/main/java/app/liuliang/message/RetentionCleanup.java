package app.liuliang.message;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes handled messages older than {@code retention_days} (run daily, and callable from tests). */
final class RetentionCleanup {

  private static final Logger log = LoggerFactory.getLogger(RetentionCleanup.class);

  private final MessageRepository messages;
  private final Duration keep;
  private final Clock clock;

  RetentionCleanup(MessageRepository messages, int retentionDays, Clock clock) {
    this.messages = messages;
    this.keep = Duration.ofDays(retentionDays);
    this.clock = clock;
  }

  int purge() {
    int purged = messages.purgeBefore(clock.millis() - keep.toMillis());
    log.info("message retention: {} messages older than {} days purged", purged, keep.toDays());
    return purged;
  }
}
