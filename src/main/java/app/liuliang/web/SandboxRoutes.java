package app.liuliang.web;

import app.liuliang.sandbox.SandboxWeCom;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import java.util.Map;

/**
 * Sandbox-only inspection: what the bot sent to the fake WeCom, and registering a fake patient so
 * {@code externalcontact/get} knows their name. Never mounted with a real corp.
 */
public final class SandboxRoutes implements Routes {

  private final SandboxWeCom sandbox;

  public SandboxRoutes(SandboxWeCom sandbox) {
    this.sandbox = sandbox;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get("/api/sandbox/sent", ctx -> {
      long since = ctx.queryParamAsClass("since", Long.class).getOrDefault(0L);
      ctx.json(sandbox.sentSince(since));
    });
    routes.get("/api/sandbox/contacts/last", ctx -> {
      String last = sandbox.lastContact().orElseThrow(() -> new io.javalin.http.NotFoundResponse("no patient simulated yet"));
      ctx.json(Map.of("external_userid", last));
    });
    routes.post("/api/sandbox/contacts", ctx -> {
      @SuppressWarnings("unchecked")
      Map<String, String> body = ctx.bodyAsClass(Map.class);
      String id = body.get("external_userid");
      String user = body.get("userid");
      if (id == null || id.isBlank() || user == null || user.isBlank()) {
        throw new BadRequestResponse("external_userid and userid are required");
      }
      sandbox.registerContact(id, body.getOrDefault("name", ""), user, body.getOrDefault("state", ""));
      ctx.status(201).json(Map.of("external_userid", id));
    });
  }
}
