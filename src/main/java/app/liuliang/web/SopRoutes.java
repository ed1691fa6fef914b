package app.liuliang.web;

import app.liuliang.sop.SopFeature;
import io.javalin.config.RoutesConfig;
import java.util.Map;

/** {@code POST /api/sop/reload} (admin): re-reads changed plan files now; answers what each did. */
public final class SopRoutes implements Routes {

  private final SopFeature sop;
  private final AdminAuth auth;

  public SopRoutes(SopFeature sop, AdminAuth auth) {
    this.sop = sop;
    this.auth = auth;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.post("/api/sop/reload", ctx -> {
      auth.requireBearer(ctx);
      var results = sop.reload();
      boolean ok = results.stream().allMatch(SopFeature.PlanResult::valid);
      ctx.status(ok ? 200 : 422).json(Map.of("ok", ok, "plans", results));
    });
  }
}
