package app.liuliang.web;

import app.liuliang.app.Foundation;
import app.liuliang.callback.InboxRepository;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /ready} (can this instance do its work: store writable, schedulers running, a WeCom
 * token obtainable) and the store gauges, refreshed right before each {@code /metrics} scrape.
 * {@code /health} (alive) and {@code /metrics} themselves are in {@link HealthRoutes}.
 */
public final class ObservabilityRoutes implements Routes {

  private final Foundation foundation;
  private final BooleanSupplier schedulersRunning;
  private final StoreGauges gauges;
  private final TokenProbe token;

  /**
   * @param schedulersRunning false when a feature's scheduler has stopped (default: all features'
   *                          {@code schedulerRunning()})
   */
  public ObservabilityRoutes(Foundation foundation, BooleanSupplier schedulersRunning) {
    this.foundation = foundation;
    this.schedulersRunning = schedulersRunning;
    this.gauges = new StoreGauges(foundation.database().jdbi(), new InboxRepository(foundation.database().jdbi()),
        foundation.outbox().repository(), foundation.clock(), foundation.meters());
    this.token = new TokenProbe(foundation.wecom(), foundation.database().jdbi(), foundation.clock(),
        foundation.settings().wecom().sandbox());
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.before("/metrics", ctx -> gauges.refresh());
    routes.get("/ready", ctx -> {
      Map<String, Check> checks = new LinkedHashMap<>();
      boolean store = foundation.database().isWritable();
      checks.put("store", check(store, store ? "writable" : "not writable"));
      boolean scheduler = schedulersRunning.getAsBoolean();
      checks.put("scheduler", check(scheduler, scheduler ? "running" : "stopped"));
      TokenProbe.Result t = token.check();
      checks.put("token", check(t.ok(), t.detail()));
      boolean ready = store && scheduler && t.ok();
      ctx.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
          .json(new Readiness(ready, foundation.settings().nodeId(), foundation.database().kind().id(), quartz(),
              checks));
    });
  }

  // Records, not Map.of: Map.of iterates in a per-JVM random order, and operators diff these replies.
  private static Check check(boolean ok, String detail) {
    return new Check(ok, detail);
  }

  record Check(boolean ok, String detail) {}

  /**
   * Which Quartz work this node holds. In RAM (SQLite) all of its own; clustered (PostgreSQL) the triggers
   * it has fired or acquired now, and the nodes checked in to the cluster.
   */
  private Quartz quartz() {
    if (!foundation.database().isPostgres()) {
      return new Quartz("ram", true, 0, java.util.List.of(foundation.settings().nodeId()));
    }
    try {
      return foundation.database().jdbi().withHandle(h -> {
        int held = h.createQuery("SELECT COUNT(*) FROM qrtz_fired_triggers WHERE instance_name = :node")
            .bind("node", foundation.settings().nodeId()).mapTo(Integer.class).one();
        java.util.List<String> nodes = h.createQuery(
            "SELECT DISTINCT instance_name FROM qrtz_scheduler_state ORDER BY instance_name").mapTo(String.class).list();
        return new Quartz("clustered", held > 0, held, nodes);
      });
    } catch (RuntimeException e) {
      return new Quartz("clustered", false, 0, java.util.List.of());
    }
  }

  record Quartz(String store, boolean holdsWork, int firedTriggers, java.util.List<String> nodes) {}

  record Readiness(boolean ready, String node, String store, Quartz quartz, Map<String, Check> checks) {}
}
