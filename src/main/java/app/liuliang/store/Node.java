package app.liuliang.store;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This process as the store's claims name it: rows it works on carry its id as owner and a lease it
 * renews every {@link #renewEvery()}. When a node dies its leases run out, and after {@link #lease()} the
 * other nodes resume its rows: short enough that a welcome claimed by a dead node still goes out inside
 * WeCom's 20-second window, long enough that a busy node's renewal is never late.
 */
public record Node(String id, Duration lease) {

  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(5);
  private static final AtomicInteger LOCAL = new AtomicInteger();

  public Node(String id) {
    this(id, DEFAULT_LEASE);
  }

  /** A node of its own for a store only this process uses (tests, offline commands). */
  public static Node local() {
    return new Node("local-" + ProcessHandle.current().pid() + "-" + LOCAL.incrementAndGet());
  }

  public Duration renewEvery() {
    return lease.dividedBy(3);
  }

  /** The lease a claim made at {@code now} holds until. */
  public long leaseUntil(long now) {
    return now + lease.toMillis();
  }
}
