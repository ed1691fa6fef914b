package app.liuliang.web;

import app.liuliang.sandbox.GroupStubs;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import java.util.Map;

/**
 * Sandbox-only: a patient joins or leaves a fake customer group, so that {@code groupchat/get} shows
 * it ({@code liuliang simulate group-join|group-leave} posts here, then sends the callback with the
 * versions answered).
 */
public final class GroupSandboxRoutes implements Routes {

  private final GroupStubs stubs;

  public GroupSandboxRoutes(GroupStubs stubs) {
    this.stubs = stubs;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.post("/api/sandbox/groups/{chatId}/members", ctx -> {
      @SuppressWarnings("unchecked")
      Map<String, String> body = ctx.bodyAsClass(Map.class);
      String ext = body.getOrDefault("external_userid", "");
      String action = body.getOrDefault("action", "");
      if (ext.isBlank() || !(action.equals("join") || action.equals("leave"))) {
        throw new BadRequestResponse("external_userid and action (join or leave) are required");
      }
      GroupStubs.Versions v = stubs.change(ctx.pathParam("chatId"), ext, body.getOrDefault("name", ""), action.equals("join"));
      ctx.status(201).json(Map.of("last_version", v.last(), "current_version", v.current()));
    });
  }
}
