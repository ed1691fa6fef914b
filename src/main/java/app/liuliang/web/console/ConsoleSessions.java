package app.liuliang.web.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Server-side console sessions: a random 256-bit id in the cookie, the expiry and the CSRF token in the
 * store ({@code console_sessions}), so every node behind a load balancer knows them. The store keeps only
 * the id's SHA-256: reading it does not hand out a live session.
 */
final class ConsoleSessions {

  /** One signed-in browser. */
  record Session(String id, String csrf, long expiresAt) {
  }

  /** Far more browsers than a clinic has; a flood of sign-ins cannot grow the table past this. */
  static final int MAX_SESSIONS = 1_000;

  private final Jdbi jdbi;
  private final Clock clock;
  private final Duration lifetime;
  private final SecureRandom random = new SecureRandom();

  ConsoleSessions(Jdbi jdbi, Clock clock, Duration lifetime) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.lifetime = lifetime;
  }

  Session create() {
    long now = clock.millis();
    Session session = new Session(randomId(), randomId(), now + lifetime.toMillis());
    jdbi.useTransaction(h -> {
      h.createUpdate("DELETE FROM console_sessions WHERE expires_at <= :now").bind("now", now).execute();
      // At the cap the sessions closest to expiry make room (the oldest sign-ins).
      h.createUpdate("DELETE FROM console_sessions WHERE id_hash IN (SELECT id_hash FROM console_sessions "
              + "ORDER BY expires_at, id_hash LIMIT (SELECT CASE WHEN COUNT(*) >= :max THEN COUNT(*) - :max + 1 "
              + "ELSE 0 END FROM console_sessions))")
          .bind("max", MAX_SESSIONS).execute();
      h.createUpdate("INSERT INTO console_sessions (id_hash, csrf, expires_at) VALUES (:id, :csrf, :exp)")
          .bind("id", hash(session.id())).bind("csrf", session.csrf()).bind("exp", session.expiresAt()).execute();
    });
    return session;
  }

  /** The live session with this id; an expired one is not returned. */
  Optional<Session> find(String id) {
    if (id == null || id.isEmpty()) {
      return Optional.empty();
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT csrf, expires_at FROM console_sessions "
            + "WHERE id_hash = :id AND expires_at > :now")
        .bind("id", hash(id)).bind("now", clock.millis())
        .map((rs, ctx) -> new Session(id, rs.getString(1), rs.getLong(2))).findOne());
  }

  void end(String id) {
    if (id != null) {
      jdbi.useHandle(h -> h.createUpdate("DELETE FROM console_sessions WHERE id_hash = :id").bind("id", hash(id)).execute());
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

  private static String hash(String id) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
