package app.liuliang.cli;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * A counter (or a bar, when the total is known) on stderr for commands that may run a while. Quiet
 * for the first two seconds, so quick runs print nothing extra; redrawn at most five times a second.
 */
final class Progress {

  private static final long QUIET_NANOS = 2_000_000_000L;
  private static final long REDRAW_NANOS = 200_000_000L;
  private static final int BAR = 30;

  private final PrintWriter err;
  private final String what;
  private final long total;
  private final LongSupplier nanoTime;
  private final long quietNanos;
  private final long started;
  private long done;
  private long lastDrawn = Long.MIN_VALUE;
  private boolean drawn;

  /** @param total the number of steps, or -1 when unknown (a plain counter) */
  Progress(PrintWriter err, String what, long total) {
    this(err, what, total, System::nanoTime, QUIET_NANOS);
  }

  Progress(PrintWriter err, String what, long total, LongSupplier nanoTime, long quietNanos) {
    this.err = err;
    this.what = what;
    this.total = total;
    this.nanoTime = nanoTime;
    this.quietNanos = quietNanos;
    this.started = nanoTime.getAsLong();
  }

  void step() {
    done++;
    long now = nanoTime.getAsLong();
    if (now - started >= quietNanos && (!drawn || now - lastDrawn >= REDRAW_NANOS)) {
      draw();
      lastDrawn = now;
    }
  }

  /** Draws the final state and ends the line, if anything was drawn. */
  void finish() {
    if (drawn) {
      draw();
      err.println();
      err.flush();
    }
  }

  private void draw() {
    drawn = true;
    if (total > 0) {
      int filled = (int) (BAR * Math.min(done, total) / total);
      err.printf("\r%s [%s%s] %3d%% %d/%d", what, "#".repeat(filled), "-".repeat(BAR - filled),
          100 * Math.min(done, total) / total, done, total);
    } else {
      err.printf("\r%s: %d", what, done);
    }
    err.flush();
  }
}
