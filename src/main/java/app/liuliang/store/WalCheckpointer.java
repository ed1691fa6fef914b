package app.liuliang.store;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the WAL into the database file on its own thread, once a second.
 *
 * <p>SQLite's automatic checkpoint runs inside whichever commit crosses 1,000 WAL pages: with the
 * inbox's group commit that was the one thread every acknowledgement waits for, and each checkpoint
 * (copy the pages, fsync the database file) stalled every callback in flight. So connections turn
 * the automatic checkpoint off ({@link PromptBusyHandler.DataSource}) and this thread runs a
 * {@code PASSIVE} checkpoint, which never blocks a writer. If readers keep the WAL from being reused
 * and it grows past {@link #MAX_WAL_PAGES}, a {@code TRUNCATE} checkpoint (which waits for a quiet
 * moment) brings it back to zero.
 */
final class WalCheckpointer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WalCheckpointer.class);
  static final long MAX_WAL_PAGES = 16_384;  // 64 MiB of 4 KiB pages

  private final Jdbi jdbi;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "store-checkpointer");
    t.setDaemon(true);
    return t;
  });

  WalCheckpointer(Jdbi jdbi) {
    this.jdbi = jdbi;
    thread.scheduleWithFixedDelay(this::checkpointQuietly, 1, 1, TimeUnit.SECONDS);
  }

  /** Runs one checkpoint; returns the WAL's size in pages after it (-1 when not in WAL mode). */
  long checkpoint() {
    long walPages = run("PASSIVE");
    if (walPages > MAX_WAL_PAGES) {
      log.info("store: WAL at {} pages after a passive checkpoint; truncating it", walPages);
      walPages = run("TRUNCATE");
    }
    return walPages;
  }

  private void checkpointQuietly() {
    try {
      checkpoint();
    } catch (RuntimeException e) {
      // The next round tries again; SQLite's WAL stays correct however long it grows meanwhile.
      log.warn("store: WAL checkpoint failed: {}", e.toString());
    }
  }

  private long run(String mode) {
    // Answers one row: busy (0/1), pages in the WAL, pages checkpointed.
    Map<String, Object> result = jdbi.withHandle(h -> h.createQuery("PRAGMA wal_checkpoint(" + mode + ")")
        .mapToMap().one());
    return ((Number) result.get("log")).longValue();
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
