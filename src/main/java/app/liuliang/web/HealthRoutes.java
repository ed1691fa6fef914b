package app.liuliang.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.BooleanSupplier;

/** {@code /health} (ready for callbacks) and {@code /metrics} (Prometheus text format). */
public final class HealthRoutes implements Routes {

  private final BooleanSupplier ready;
  private final PrometheusMeterRegistry prometheus;

  public HealthRoutes(BooleanSupplier ready, PrometheusMeterRegistry prometheus) {
    this.ready = ready;
    this.prometheus = prometheus;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get("/health", ctx -> {
      if (ready.getAsBoolean()) {
        ctx.result("ok");
      } else {
        ctx.status(HttpStatus.SERVICE_UNAVAILABLE).result("starting");
      }
    });
    routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(prometheus.scrape()));
  }
}
