package app.liuliang.app;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * {@code config/app.yaml}: everything about the server that is not a secret. Every key is optional;
 * the defaults are in the compact constructors and in the README's configuration reference.
 */
public record AppConfig(
    Server server,
    Callback callback,
    Outbox outbox,
    WeCom wecom,
    List<String> admins,
    ZoneId timezone) {

  public AppConfig {
    server = server == null ? new Server(null, null, null, null, null) : server;
    callback = callback == null ? new Callback(null, null, null) : callback;
    outbox = outbox == null ? new Outbox(null, null, null, null, null) : outbox;
    wecom = wecom == null ? new WeCom(null, null, null) : wecom;
    admins = admins == null ? List.of() : List.copyOf(admins);
    timezone = timezone == null ? ZoneId.of("Asia/Shanghai") : timezone;
  }

  public static AppConfig defaults() {
    return new AppConfig(null, null, null, null, null, null);
  }

  /** HTTP listener. */
  public record Server(Integer port, Integer maxCallbackBytes, Integer maxThreads, Integer maxConnections,
      List<String> trustedProxies) {
    public Server {
      // Only these peers' X-Forwarded-For is believed (admin throttling is per client address).
      trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
      port = port == null ? 8080 : port;
      maxCallbackBytes = maxCallbackBytes == null ? 64 * 1024 : maxCallbackBytes;
      maxThreads = maxThreads == null ? 32 : maxThreads;
      if (maxThreads < 8 || maxThreads > 1000) {
        throw new IllegalArgumentException("server.max_threads must be 8..1000, was " + maxThreads);
      }
      maxConnections = maxConnections == null ? 512 : maxConnections;
      if (maxConnections < 16) {
        throw new IllegalArgumentException("server.max_connections must be at least 16, was " + maxConnections);
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("server.port must be 0..65535, was " + port);
      }
    }
  }

  /** Callback ingress and the inbox workers. */
  public record Callback(Integer maxClockSkewSeconds, Integer workers, Integer maxAttempts) {
    public Callback {
      maxClockSkewSeconds = maxClockSkewSeconds == null ? 300 : maxClockSkewSeconds;
      workers = workers == null ? 16 : workers;
      maxAttempts = maxAttempts == null ? 8 : maxAttempts;
      if (workers < 1 || workers > 64) {
        throw new IllegalArgumentException("callback.workers must be 1..64, was " + workers);
      }
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("callback.max_attempts must be at least 1, was " + maxAttempts);
      }
    }
  }

  /**
   * The outbox sender: retries with exponential backoff and jitter until each action's deadline;
   * an action whose delivery is unknown is asked about for {@code checkUnknownFor} past it.
   */
  public record Outbox(Integer workers, Integer maxAttempts, Duration checkUnknownFor,
      Duration baseBackoff, Duration maxBackoff) {
    public Outbox {
      workers = workers == null ? 32 : workers;
      maxAttempts = maxAttempts == null ? 20 : maxAttempts;
      checkUnknownFor = checkUnknownFor == null ? Duration.ofHours(24) : checkUnknownFor;
      baseBackoff = baseBackoff == null ? Duration.ofSeconds(1) : baseBackoff;
      maxBackoff = maxBackoff == null ? Duration.ofMinutes(10) : maxBackoff;
      if (workers < 1 || workers > 128) {
        throw new IllegalArgumentException("outbox.workers must be 1..128, was " + workers);
      }
    }
  }

  /**
   * Non-secret WeCom settings; the environment overrides the first two. {@code maxCallsPerMinute}
   * paces each API under WeCom's ceiling of 10,000 a minute per corp.
   */
  public record WeCom(String apiBaseUrl, String agentId, Integer maxCallsPerMinute) {
    public WeCom {
      apiBaseUrl = apiBaseUrl == null ? "https://qyapi.weixin.qq.com" : apiBaseUrl;
      maxCallsPerMinute = maxCallsPerMinute == null ? 9_000 : maxCallsPerMinute;
      if (maxCallsPerMinute < 60 || maxCallsPerMinute > 10_000) {
        throw new IllegalArgumentException("wecom.max_calls_per_minute must be 60..10000 (WeCom's ceiling), was "
            + maxCallsPerMinute);
      }
    }
  }
}
