package app.liuliang.store;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nodes running on this store ({@code nodes}): each writes a heartbeat every {@link Node#renewEvery()},
 * and a node unseen for two leases counts as gone. Whoever shares a corp-wide quota among the nodes
 * hears the live count whenever it changes.
 */
public final class NodeRegistry implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(NodeRegistry.class);

  private final Jdbi jdbi;
  private final Node node;
  private final Clock clock;
  private final IntConsumer onLiveCount;
  private final ScheduledExecutorService beat;
  private int lastCount;

  public NodeRegistry(Jdbi jdbi, Node node, Clock clock, IntConsumer onLiveCount) {
    this.jdbi = jdbi;
    this.node = node;
    this.clock = clock;
    this.onLiveCount = onLiveCount;
    beat();
    this.beat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "node-heartbeat");
      t.setDaemon(true);
      return t;
    });
    long every = node.renewEvery().toMillis();
    beat.scheduleWithFixedDelay(this::beatQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  /** The nodes seen within two leases, this one included. */
  public int live() {
    long since = clock.millis() - 2 * node.lease().toMillis();
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM nodes WHERE seen_at >= :since")
        .bind("since", since).mapTo(Integer.class).one());
  }

  private void beatQuietly() {
    try {
      beat();
    } catch (RuntimeException e) {
      // The store is away: keep the last share; the leases elsewhere decide what this node may still do.
      log.warn("node heartbeat failed: {}", e.toString());
    }
  }

  synchronized void beat() {
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO nodes (node_id, started_at, seen_at) VALUES (:id, :now, :now) "
            + "ON CONFLICT (node_id) DO UPDATE SET seen_at = excluded.seen_at")
        .bind("id", node.id()).bind("now", clock.millis()).execute());
    int count = Math.max(1, live());
    if (count != lastCount) {
      log.info("node {}: {} live node(s) share the WeCom quota", node.id(), count);
      lastCount = count;
      onLiveCount.accept(count);
    }
  }

  @Override
  public void close() {
    beat.shutdownNow();
    try {
      jdbi.useHandle(h -> h.createUpdate("DELETE FROM nodes WHERE node_id = :id").bind("id", node.id()).execute());
    } catch (RuntimeException e) {
      log.warn("could not sign node {} off: {}", node.id(), e.toString());
    }
  }
}
