package app.liuliang.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** {@code /health} (ready for callbacks) and {@code /metrics} (Prometheus text format). */
public final class HealthRoutes implements Routes {

  private final BooleanSupplier ready;
  private final PrometheusMeterRegistry prometheus;

  private final Optional<AdminAuth> metricsAuth;

  /** {@code /metrics} open (bind it to an internal network). */
  public HealthRoutes(BooleanSupplier ready, PrometheusMeterRegistry prometheus) {
    this(ready, prometheus, Optional.empty());
  }

  /**
   * @param metricsAuth present when {@code metrics.require_token}: a scrape then needs
   *                    {@code Authorization: Bearer $LIULIANG_ADMIN_TOKEN} (Prometheus: {@code authorization.credentials})
   */
  public HealthRoutes(BooleanSupplier ready, PrometheusMeterRegistry prometheus, Optional<AdminAuth> metricsAuth) {
    this.ready = ready;
    this.prometheus = prometheus;
    this.metricsAuth = metricsAuth;
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
    metricsAuth.ifPresent(auth -> routes.before("/metrics", auth::requireBearer));
    routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(prometheus.scrape()));
  }
}
