package app.liuliang.web;

import app.liuliang.group.CustomerGroups;
import app.liuliang.wecom.WeComApiException;
import io.javalin.config.RoutesConfig;
import java.util.Map;

/**
 * {@code POST /api/groups/sync} (admin): lists and re-reads every customer group now; answers the counts,
 * or 502 when WeCom's listing failed.
 */
public final class GroupRoutes implements Routes {

  private final CustomerGroups groups;
  private final AdminAuth auth;

  public GroupRoutes(CustomerGroups groups, AdminAuth auth) {
    this.groups = groups;
    this.auth = auth;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.post("/api/groups/sync", ctx -> {
      auth.requireBearer(ctx);
      try {
        ctx.json(groups.syncNow());
      } catch (WeComApiException e) {
        // Listing failed: nothing was marked dismissed; the message names the API and errcode, no secret.
        ctx.status(502).json(Map.of("error", e.getMessage()));
      }
    });
  }
}
