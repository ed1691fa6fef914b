package app.liuliang.web;

import app.liuliang.sandbox.KfStubs;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import java.util.Map;

/**
 * Sandbox-only: queue a patient's kf message so that the next {@code kf/sync_msg} returns it
 * ({@code liuliang simulate kf-message} posts here, then sends the callback); an optional
 * {@code nickname} is what {@code kf/customer/batchget} says about the patient.
 */
public final class KfSandboxRoutes implements Routes {

  private final KfStubs stubs;

  public KfSandboxRoutes(KfStubs stubs) {
    this.stubs = stubs;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.post("/api/sandbox/kf-messages", ctx -> {
      @SuppressWarnings("unchecked")
      Map<String, String> body = ctx.bodyAsClass(Map.class);
      String kf = body.getOrDefault("open_kfid", "");
      String ext = body.getOrDefault("external_userid", "");
      String text = body.getOrDefault("text", "");
      String nickname = body.getOrDefault("nickname", "");
      if (kf.isBlank() || ext.isBlank() || text.isBlank()) {
        throw new BadRequestResponse("open_kfid, external_userid and text are required");
      }
      ctx.status(201).json(Map.of("msgid", stubs.queue(kf, ext, text, nickname)));
    });
  }
}
