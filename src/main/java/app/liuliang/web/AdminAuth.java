package app.liuliang.web;

import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The admin surface's key: {@code LIULIANG_ADMIN_TOKEN}, presented as {@code Authorization: Bearer}.
 * With no token configured the admin API is off (401 for everyone).
 */
public final class AdminAuth {

  private final Optional<String> token;

  public AdminAuth(Optional<String> token) {
    this.token = token;
  }

  public boolean enabled() {
    return token.isPresent();
  }

  /** Throws 401 unless the request carries the admin token. */
  public void requireBearer(Context ctx) {
    if (!hasBearer(ctx)) {
      throw new UnauthorizedResponse("admin token required");
    }
  }

  public boolean hasBearer(Context ctx) {
    String header = ctx.header("Authorization");
    return header != null && header.startsWith("Bearer ") && matches(header.substring(7).trim());
  }

  /** Constant-time comparison with the configured token; false when none is configured. */
  public boolean matches(String candidate) {
    return token.isPresent() && candidate != null && MessageDigest.isEqual(
        token.get().getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
  }
}
