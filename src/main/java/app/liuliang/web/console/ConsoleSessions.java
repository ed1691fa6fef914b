package app.liuliang.web.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side console sessions: a random 256-bit id in the cookie, the expiry and the CSRF token
 * here. Kept in memory on purpose: a restart signs everyone out, which is the safe direction.
 */
final class ConsoleSessions {

  /** One signed-in browser. */
  record Session(String id, String csrf, long expiresAt) {
  }

  /** Far more browsers than a clinic has; a flood of sign-ins cannot grow memory past this. */
  static final int MAX_SESSIONS = 1_000;

  private final Clock clock;
  private final Duration lifetime;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  ConsoleSessions(Clock clock, Duration lifetime) {
    this.clock = clock;
    this.lifetime = lifetime;
  }

  Session create() {
    long now = clock.millis();
    sessions.values().removeIf(s -> s.expiresAt() <= now);
    while (sessions.size() >= MAX_SESSIONS) {
      sessions.values().stream().min(java.util.Comparator.comparingLong(Session::expiresAt))
          .ifPresent(oldest -> sessions.remove(oldest.id()));
    }
    Session session = new Session(randomId(), randomId(), now + lifetime.toMillis());
    sessions.put(session.id(), session);
    return session;
  }

  /** The live session with this id; an expired one is dropped and not returned. */
  Optional<Session> find(String id) {
    if (id == null || id.isEmpty()) {
      return Optional.empty();
    }
    Session session = sessions.get(id);
    if (session == null) {
      return Optional.empty();
    }
    if (session.expiresAt() <= clock.millis()) {
      sessions.remove(id);
      return Optional.empty();
    }
    return Optional.of(session);
  }

  void end(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }

  Duration lifetime() {
    return lifetime;
  }

  private String randomId() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
