package app.liuliang.web;

import io.javalin.http.Context;
import java.util.List;
import java.util.Set;

/**
 * Who is asking: the peer's address, or, when the peer is one of our own proxies
 * ({@code server.trusted_proxies}, e.g. the nginx in front), the address it forwarded. The
 * forwarded header is read from the right, skipping our proxies, so a client cannot pick its own
 * address by sending one; from anyone else the header is ignored.
 */
public final class ClientAddress {

  private final Set<String> trustedProxies;

  public ClientAddress(List<String> trustedProxies) {
    this.trustedProxies = Set.copyOf(trustedProxies);
  }

  public String of(Context ctx) {
    String peer = ctx.req().getRemoteAddr();
    if (!trustedProxies.contains(peer)) {
      return peer;
    }
    String forwarded = ctx.header("X-Forwarded-For");
    if (forwarded == null || forwarded.isBlank()) {
      String real = ctx.header("X-Real-IP");
      return real == null || real.isBlank() ? peer : real.strip();
    }
    String[] hops = forwarded.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].strip();
      if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
        return hop;
      }
    }
    return peer;
  }
}
