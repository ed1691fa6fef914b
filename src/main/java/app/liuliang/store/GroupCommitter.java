package app.liuliang.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one thread applies every write that arrived while the previous transaction was
 * committing, in one transaction, so one fsync serves hundreds of writes and writers never contend
 * for SQLite's lock. Each write's future completes after its transaction committed: waiting on it
 * means "durable". A failing write is retried alone, so it cannot take its batch down with it.
 */
public final class GroupCommitter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);
  private static final int MAX_BATCH = 1000;

  /** A write applied inside the shared transaction; its result completes the future. */
  @FunctionalInterface
  public interface Write<T> {
    T apply(Transaction transaction) throws SQLException;
  }

  /**
   * The shared transaction, as a write sees it: the Jdbi handle, and plain JDBC statements prepared
   * once per transaction. A hot write (the inbox's intake) runs hundreds of times per batch, and
   * preparing and binding it through Jdbi each time cost more than the insert itself.
   */
  public static final class Transaction implements AutoCloseable {

    private final Handle handle;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    private Transaction(Handle handle) {
      this.handle = handle;
    }

    public Handle handle() {
      return handle;
    }

    /** The statement for {@code sql}, prepared on first use in this transaction. */
    public PreparedStatement prepared(String sql) throws SQLException {
      PreparedStatement statement = prepared.get(sql);
      if (statement == null) {
        statement = handle.getConnection().prepareStatement(sql);
        prepared.put(sql, statement);
      }
      return statement;
    }

    @Override
    public void close() throws SQLException {
      for (PreparedStatement statement : prepared.values()) {
        statement.close();
      }
    }
  }

  private record Pending<T>(Write<T> write, CompletableFuture<T> done) {
    void complete(Object result) {
      @SuppressWarnings("unchecked")
      T typed = (T) result;
      done.complete(typed);
    }
  }

  private final Jdbi jdbi;
  private final String name;
  private final BlockingQueue<Pending<?>> queue;
  private final Thread thread;
  private volatile boolean running = true;

  public GroupCommitter(Jdbi jdbi, String name, int capacity) {
    this.jdbi = jdbi;
    this.name = name;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = new Thread(this::run, name + "-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Queues a write; fails at once (never blocks) when the queue is full or stopped. */
  public <T> CompletableFuture<T> submit(Write<T> write) {
    return submit(write, Function.identity());
  }

  /**
   * Queues a write whose result goes through {@code afterCommit} on the writer thread, in commit
   * order, before the returned future completes. Attached before the write is queued, it cannot run
   * on the caller's thread when the commit wins the race, so writes that commit one after another
   * are followed up one after another.
   */
  public <T, R> CompletableFuture<R> submit(Write<T> write, Function<? super T, ? extends R> afterCommit) {
    CompletableFuture<T> done = new CompletableFuture<>();
    CompletableFuture<R> followedUp = done.thenApply(afterCommit);
    if (!running || !queue.offer(new Pending<>(write, done))) {
      done.completeExceptionally(new IllegalStateException(name + " writer is full or stopped"));
    }
    return followedUp;
  }

  /** Queues a write, waiting for room rather than failing: for outcomes that must not be dropped. */
  public <T> CompletableFuture<T> submitWaiting(Write<T> write) throws InterruptedException {
    CompletableFuture<T> done = new CompletableFuture<>();
    queue.put(new Pending<>(write, done));
    return done;
  }

  private void run() {
    List<Pending<?>> batch = new ArrayList<>(MAX_BATCH);
    while (running || !queue.isEmpty()) {
      try {
        Pending<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        commit(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void commit(List<Pending<?>> batch) {
    List<Object> results;
    try {
      results = jdbi.inTransaction(handle -> {
        try (Transaction transaction = new Transaction(handle)) {
          List<Object> out = new ArrayList<>(batch.size());
          for (Pending<?> p : batch) {
            out.add(p.write().apply(transaction));
          }
          return out;
        }
      });
    } catch (RuntimeException | SQLException e) {
      if (batch.size() == 1) {
        log.error("{} write failed", name, e);
        batch.get(0).done().completeExceptionally(e);
      } else {
        batch.forEach(p -> commit(List.of(p)));
      }
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).complete(results.get(i));
    }
  }

  /** Applies what is queued, then stops. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
