package app.liuliang.web.sidebar;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sidebar's short server-side sessions (the staff userid OAuth2 gave, a CSRF token, an expiry) and
 * the OAuth2 states handed out and not yet returned. In memory, like the console's: a restart only
 * means a silent OAuth2 round trip.
 */
final class SidebarSessions {

  /** A signed-in staff member. */
  record Session(String id, String userId, String csrf, long expiresAt) {
  }

  /** More staff than a clinic chain has; a flood of sign-ins cannot grow memory past this. */
  static final int MAX = 2_000;
  /** WeCom's codes live 5 minutes; a state older than that cannot come back with a usable code. */
  static final Duration STATE_LIFETIME = Duration.ofMinutes(10);

  private final Clock clock;
  private final Duration lifetime;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, Pending> states = new ConcurrentHashMap<>();

  /** A state handed out: until when it may come back, and the sidebar address to go on to then. */
  private record Pending(long expiresAt, String returnTo) {
  }

  SidebarSessions(Clock clock, Duration lifetime) {
    this.clock = clock;
    this.lifetime = lifetime;
  }

  /** A fresh OAuth2 state (letters and digits, as WeCom requires), good for one return to {@code returnTo}. */
  String newState(String returnTo) {
    long now = clock.millis();
    states.values().removeIf(p -> p.expiresAt() <= now);
    if (states.size() >= MAX) {
      states.entrySet().stream().min(Comparator.comparingLong(e -> e.getValue().expiresAt()))
          .ifPresent(oldest -> states.remove(oldest.getKey()));
    }
    String state = randomId(24);
    states.put(state, new Pending(now + STATE_LIFETIME.toMillis(), returnTo));
    return state;
  }

  /** Once for a state this server handed out and that has not expired (it is used up): where to go on to. */
  Optional<String> takeState(String state) {
    Pending pending = state == null ? null : states.remove(state);
    return pending != null && pending.expiresAt() > clock.millis() ? Optional.of(pending.returnTo()) : Optional.empty();
  }

  Session create(String userId) {
    long now = clock.millis();
    sessions.values().removeIf(s -> s.expiresAt() <= now);
    while (sessions.size() >= MAX) {
      sessions.values().stream().min(Comparator.comparingLong(Session::expiresAt))
          .ifPresent(oldest -> sessions.remove(oldest.id()));
    }
    Session session = new Session(randomId(32), userId, randomId(32), now + lifetime.toMillis());
    sessions.put(session.id(), session);
    return session;
  }

  Optional<Session> find(String id) {
    if (id == null || id.isEmpty()) {
      return Optional.empty();
    }
    Session session = sessions.get(id);
    if (session == null || session.expiresAt() <= clock.millis()) {
      sessions.remove(id);
      return Optional.empty();
    }
    return Optional.of(session);
  }

  Duration lifetime() {
    return lifetime;
  }

  /** Letters and digits only: usable both as a cookie value and as an OAuth2 state. */
  private String randomId(int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder id = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      id.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return id.toString();
  }
}
