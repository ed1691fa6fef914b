package app.liuliang.web;

import app.liuliang.group.CustomerGroups;
import io.javalin.config.RoutesConfig;

/** {@code POST /api/groups/sync} (admin): lists and re-reads every customer group now; answers the counts. */
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
      ctx.json(groups.syncNow());
    });
  }
}
