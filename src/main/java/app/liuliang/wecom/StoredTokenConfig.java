package app.liuliang.wecom;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.locks.Lock;
import me.chanjar.weixin.cp.config.impl.WxCpDefaultConfigImpl;
import org.jdbi.v3.core.Jdbi;

/**
 * WxJava's config with the access token kept in the store, so a restart (or another instance)
 * reuses it instead of calling {@code gettoken}, which WeCom throttles.
 *
 * <p>WxJava expires the token on 40014/42001/40001 and then refreshes under
 * {@link #getAccessTokenLock()}. When many requests fail with the same stale token at once, only
 * the token each of them actually used is expired, so a token fetched a moment ago by another thread
 * (or another node) survives and the refresh happens once.
 */
final class StoredTokenConfig extends WxCpDefaultConfigImpl {

  /** WeCom's 7200 s tokens are renewed this early, so none expires mid-request. */
  private static final long EARLY_RENEWAL_MILLIS = 300_000;

  private final transient Jdbi jdbi;
  private final transient Clock clock;
  private transient Lock lock;
  private final transient ThreadLocal<String> lastServed = new ThreadLocal<>();
  private final transient Counter refreshes;
  private volatile String cachedToken;
  private volatile long cachedExpiresAt;

  StoredTokenConfig(Jdbi jdbi, Clock clock, MeterRegistry meters) {
    this.jdbi = jdbi;
    this.clock = clock;
    // WxJava calls updateAccessToken exactly once per gettoken answer: counting here counts refreshes.
    this.refreshes = Counter.builder("liuliang.wecom.token.refreshes")
        .description("access tokens fetched from WeCom's gettoken").register(meters);
  }

  @Override
  public String getAccessToken() {
    if (cachedToken == null || clock.millis() >= cachedExpiresAt) {
      loadFromStore();
    }
    lastServed.set(cachedToken);
    return cachedToken;
  }

  @Override
  public boolean isAccessTokenExpired() {
    if (cachedToken != null && clock.millis() < cachedExpiresAt) {
      return false;
    }
    loadFromStore();
    return cachedToken == null || clock.millis() >= cachedExpiresAt;
  }

  @Override
  public void expireAccessToken() {
    String used = lastServed.get();
    if (used == null) {
      return;
    }
    jdbi.useHandle(h -> h.createUpdate(
            "UPDATE wecom_token SET expires_at = 0 WHERE corp_id = :corp AND agent_id = :agent AND token = :token")
        .bind("corp", getCorpId()).bind("agent", agentKey()).bind("token", used).execute());
    if (used.equals(cachedToken)) {
      cachedExpiresAt = 0;
    }
  }

  @Override
  public synchronized void updateAccessToken(String accessToken, int expiresInSeconds) {
    long expiresAt = clock.millis() + expiresInSeconds * 1000L - EARLY_RENEWAL_MILLIS;
    jdbi.useHandle(h -> h.createUpdate(
            "INSERT INTO wecom_token (corp_id, agent_id, token, expires_at) VALUES (:corp, :agent, :token, :exp) "
                + "ON CONFLICT (corp_id, agent_id) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at")
        .bind("corp", getCorpId()).bind("agent", agentKey()).bind("token", accessToken).bind("exp", expiresAt)
        .execute());
    cachedToken = accessToken;
    cachedExpiresAt = expiresAt;
    refreshes.increment();
  }

  /** Shared by the nodes of one store (see {@link TokenRefreshLock}): one gettoken per expiry, not one per node. */
  @Override
  public synchronized Lock getAccessTokenLock() {
    if (lock == null) {
      lock = new TokenRefreshLock(jdbi, getCorpId(), agentKey(), clock);
    }
    return lock;
  }

  private void loadFromStore() {
    jdbi.useHandle(h -> h.createQuery(
            "SELECT token, expires_at FROM wecom_token WHERE corp_id = :corp AND agent_id = :agent")
        .bind("corp", getCorpId()).bind("agent", agentKey())
        .map((rs, ctx) -> new Object[] {rs.getString(1), rs.getLong(2)})
        .findOne()
        .ifPresent(row -> {
          cachedToken = (String) row[0];
          cachedExpiresAt = (Long) row[1];
        }));
  }

  private String agentKey() {
    return String.valueOf(getAgentId());
  }

  /** WxJava's own toString prints the secret and AES key; ours never does. */
  @Override
  public String toString() {
    return "StoredTokenConfig[corpId=" + getCorpId() + ", agentId=" + getAgentId() + ", baseApiUrl=" + getApiUrl("") + "]";
  }
}
