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
    ZoneId timezone,
    Backup backup,
    Alerts alerts,
    Metrics metrics) {

  public AppConfig {
    server = server == null ? new Server(null, null, null, null, null) : server;
    callback = callback == null ? new Callback(null, null, null) : callback;
    outbox = outbox == null ? new Outbox(null, null, null, null, null) : outbox;
    wecom = wecom == null ? new WeCom(null, null, null) : wecom;
    admins = admins == null ? List.of() : List.copyOf(admins);
    timezone = timezone == null ? ZoneId.of("Asia/Shanghai") : timezone;
    backup = backup == null ? new Backup(null, null, null) : backup;
    alerts = alerts == null ? new Alerts(null, null, null, null, null) : alerts;
    metrics = metrics == null ? new Metrics(null) : metrics;
  }

  /** Without the operations sections (backup, alerts, metrics): their defaults. */
  public AppConfig(Server server, Callback callback, Outbox outbox, WeCom wecom, List<String> admins, ZoneId timezone) {
    this(server, callback, outbox, wecom, admins, timezone, null, null, null);
  }

  public static AppConfig defaults() {
    return new AppConfig(null, null, null, null, null, null);
  }

  /**
   * The scheduled store backup: every day at {@code at} (clinic time) into {@code folder}, keeping the
   * newest {@code keep}. An empty folder turns it off.
   */
  public record Backup(java.time.LocalTime at, String folder, Integer keep) {
    public Backup {
      at = at == null ? java.time.LocalTime.of(3, 30) : at;
      folder = folder == null ? "./backups" : folder;
      keep = keep == null ? 14 : keep;
      if (keep < 1) {
        throw new IllegalArgumentException("backup.keep must be at least 1, was " + keep);
      }
    }

    public boolean enabled() {
      return !folder.isBlank();
    }
  }

  /**
   * Operator alerts sent to the admins as app messages, at most once per condition and {@code interval}
   * (the same conditions as deploy/liuliang-alerts.yml).
   */
  public record Alerts(Duration interval, Duration inboxBacklogAge, Duration backupMaxAge, Integer diskFreePercent,
      Duration checkEvery) {
    public Alerts {
      interval = interval == null ? Duration.ofHours(1) : interval;
      inboxBacklogAge = inboxBacklogAge == null ? Duration.ofMinutes(5) : inboxBacklogAge;
      backupMaxAge = backupMaxAge == null ? Duration.ofHours(26) : backupMaxAge;
      diskFreePercent = diskFreePercent == null ? 10 : diskFreePercent;
      checkEvery = checkEvery == null ? Duration.ofMinutes(1) : checkEvery;
      if (diskFreePercent < 0 || diskFreePercent > 100) {
        throw new IllegalArgumentException("alerts.disk_free_percent must be 0..100, was " + diskFreePercent);
      }
    }
  }

  /** {@code /metrics}: open by default (bind it to an internal network), or behind the admin token. */
  public record Metrics(Boolean requireToken) {
    public Metrics {
      requireToken = requireToken != null && requireToken;
    }
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
