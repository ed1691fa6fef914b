package app.liuliang.group;

import app.liuliang.group.RefreshQueue.Due;
import app.liuliang.retry.Backoff;
import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient.GroupChat;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the groups events marked, once each settle window: a burst of joins to one group costs one
 * {@code groupchat/get}. A read that still shows the version before the newest event (WeCom's data
 * lags the event) is tried again with backoff, at most {@link #MAX_ATTEMPTS} times; then the
 * periodic sync heals it. Polls the store, so marks from before a restart are read too.
 */
final class GroupRefreshWorker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GroupRefreshWorker.class);
  static final int MAX_ATTEMPTS = 8;
  private static final Duration LEASE = Duration.ofMinutes(2);
  private static final long POLL_MILLIS = 200;
  private static final int BATCH = 50;

  private final RefreshQueue queue;
  private final GroupRefresher refresher;
  private final Clock clock;
  private final Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(2));
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "group-refresh"));
  private final ExecutorService readers = Executors.newFixedThreadPool(4, r -> daemon(r, "group-read"));

  GroupRefreshWorker(RefreshQueue queue, GroupRefresher refresher, Clock clock) {
    this.queue = queue;
    this.refresher = refresher;
    this.clock = clock;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  void start() {
    poller.scheduleWithFixedDelay(this::poll, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void poll() {
    try {
      long now = clock.millis();
      var due = queue.due(now, BATCH);
      var reads = new java.util.ArrayList<java.util.concurrent.Future<?>>();
      for (String chatId : due) {
        queue.claim(chatId, now, now + LEASE.toMillis()).ifPresent(claimed -> reads.add(readers.submit(() -> read(claimed))));
      }
      for (var read : reads) {
        read.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("group refresh poll failed; next poll tries again", e);
    }
  }

  private void read(Due due) {
    try {
      Optional<GroupChat> chat = refresher.refresh(due.chatId(), due.leftAt(), due.quitScene());
      boolean lagging = chat.isPresent() && !due.staleVersion().isEmpty() && !due.currentVersion().isEmpty()
          && chat.get().memberVersion().equals(due.staleVersion());
      if (!lagging) {
        queue.done(due);
      } else {
        retry(due, "groupchat/get still shows version " + due.staleVersion() + ", before the event");
      }
    } catch (WeComApiException | RuntimeException e) {
      retry(due, e.getMessage());
    }
  }

  private void retry(Due due, String why) {
    if (due.attempts() + 1 >= MAX_ATTEMPTS) {
      queue.drop(due.chatId());
      log.warn("group {} not read after {} attempts ({}); the periodic sync heals it", due.chatId(), MAX_ATTEMPTS, why);
      return;
    }
    long delay = backoff.delayMillis(due.attempts() + 1, ThreadLocalRandom.current());
    queue.retryAt(due, clock.millis() + delay);
    log.info("group {}: read again in {} ms ({})", due.chatId(), delay, why);
  }

  @Override
  public void close() throws InterruptedException {
    poller.shutdownNow();
    readers.shutdownNow();
    poller.awaitTermination(5, TimeUnit.SECONDS);
    readers.awaitTermination(5, TimeUnit.SECONDS);
  }
}
