package app.liuliang.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock tests move by hand: no sleeps, no flaky timing. {@link #ticking()} is the exception, for
 * the crash and outage tests where real deadlines (a welcome code's 20 s) must pass as they would.
 */
public final class MutableClock extends Clock {

  private volatile Instant now;
  private final ZoneId zone;
  /** System.nanoTime() when {@code now} was the time, or -1 for a clock that stands still. */
  private final long tickingSince;

  public MutableClock(Instant start) {
    this(start, ZoneOffset.UTC);
  }

  public MutableClock(Instant start, ZoneId zone) {
    this(start, zone, -1);
  }

  private MutableClock(Instant start, ZoneId zone, long tickingSince) {
    this.now = start;
    this.zone = zone;
    this.tickingSince = tickingSince;
  }

  public static MutableClock atSystemTime() {
    return new MutableClock(Instant.now());
  }

  /** Runs with real time (and can still be advanced). */
  public static MutableClock ticking() {
    return new MutableClock(Instant.now(), ZoneOffset.UTC, System.nanoTime());
  }

  public void advance(Duration by) {
    now = now.plus(by);
  }

  public void set(Instant instant) {
    now = tickingSince < 0 ? instant : instant.minusNanos(System.nanoTime() - tickingSince);
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new MutableClock(now, zone, tickingSince);
  }

  @Override
  public Instant instant() {
    return tickingSince < 0 ? now : now.plusNanos(System.nanoTime() - tickingSince);
  }
}
