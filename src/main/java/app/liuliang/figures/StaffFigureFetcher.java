package app.liuliang.figures;

import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import app.liuliang.wecom.WeComClient.StaffBehavior;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily fetch: for each staff member it can claim, asks WeCom for the days {@link FetchWindows}
 * plans, window by window, and upserts each day. Progress is stored after every window, so a failure
 * (logged, counted, shown on the console) costs only the window that failed; the next run resumes.
 */
final class StaffFigureFetcher {

  private static final Logger log = LoggerFactory.getLogger(StaffFigureFetcher.class);
  private static final long LEASE_MILLIS = 10 * 60_000L;

  /** What one run did. */
  record Report(int staff, int fetched, int skipped, int failed, int days) {
  }

  private final StaffFigureRepository repository;
  private final WeComClient wecom;
  private final Supplier<List<String>> staff;
  private final Clock clock;
  private final ZoneId zone;
  private final String owner = "figures-" + UUID.randomUUID();
  private final Counter failures;

  StaffFigureFetcher(StaffFigureRepository repository, WeComClient wecom, Supplier<List<String>> staff, Clock clock,
      ZoneId zone, MeterRegistry meters) {
    this.repository = repository;
    this.wecom = wecom;
    this.staff = staff;
    this.clock = clock;
    this.zone = zone;
    this.failures = Counter.builder("liuliang.staff.figures.failures")
        .description("staff members whose behaviour data could not be fetched").register(meters);
  }

  Report run() {
    LocalDate today = LocalDate.now(clock.withZone(zone));
    int fetched = 0;
    int skipped = 0;
    int failed = 0;
    int days = 0;
    List<String> userIds = staff.get();
    for (String userId : userIds) {
      if (!repository.claim(userId, owner, today.minusDays(1), clock.millis(), LEASE_MILLIS)) {
        skipped++;
        continue;
      }
      String error = null;
      try {
        days += fetch(userId, today);
        fetched++;
      } catch (WeComApiException | RuntimeException e) {
        error = shownAs(e);
        failed++;
        failures.increment();
        log.warn("staff figures of {} not fetched: {}; the next run resumes", userId, e.getMessage());
      } finally {
        repository.release(userId, owner, error, clock.millis());
      }
    }
    Report report = new Report(userIds.size(), fetched, skipped, failed, days);
    log.info("staff figures: {}", report);
    return report;
  }

  /** The failure as the 员工 page shows it, in Chinese (the log keeps WeCom's message). */
  private static String shownAs(Exception e) {
    if (e instanceof WeComApiException w) {
      return w.hasErrcode() ? "企业微信错误码 " + w.errcode() : "连接企业微信失败";
    }
    return "内部错误";
  }

  private int fetch(String userId, LocalDate today) throws WeComApiException {
    int days = 0;
    for (FetchWindows.Window w : FetchWindows.plan(today, repository.fetchedThrough(userId))) {
      List<StaffBehavior> answer = wecom.getUserBehavior(userId, midnight(w.from()), midnight(w.to()));
      for (StaffBehavior b : answer) {
        LocalDate day = Instant.ofEpochSecond(b.statTime()).atZone(zone).toLocalDate();
        if (!day.isBefore(w.from()) && !day.isAfter(w.to())) {
          repository.upsert(userId, day, b, clock.millis());
          days++;
        }
      }
      if (!repository.advance(userId, owner, w.to(), clock.millis(), LEASE_MILLIS)) {
        log.info("staff figures of {}: another node took over after {}", userId, w.to());
        break;
      }
    }
    return days;
  }

  /** WeCom counts days from midnight (it floors other times); the clinic's midnight, in seconds. */
  private Instant midnight(LocalDate day) {
    return ZonedDateTime.of(day.atStartOfDay(), zone).toInstant();
  }
}
