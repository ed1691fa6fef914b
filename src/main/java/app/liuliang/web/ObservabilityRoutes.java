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
          .json(new Readiness(ready, checks));
    });
  }

  // Records, not Map.of: Map.of iterates in a per-JVM random order, and operators diff these replies.
  private static Check check(boolean ok, String detail) {
    return new Check(ok, detail);
  }

  record Check(boolean ok, String detail) {}

  record Readiness(boolean ready, Map<String, Check> checks) {}
}
