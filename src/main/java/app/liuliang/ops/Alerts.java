package app.liuliang.ops;

import app.liuliang.app.AppConfig;
import app.liuliang.app.Foundation;
import app.liuliang.callback.InboxRepository;
import app.liuliang.sop.AdminNotifier;
import app.liuliang.store.StoreKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conditions of {@code deploy/liuliang-alerts.yml}, told to the admins as app messages: inbox
 * backlog age, dead letters, outbox failures by errcode, token refresh failures, 60020 (trusted IP)
 * refusals, backup age and disk free. A condition is told once when it starts firing, again at most
 * once per {@code alerts.interval} while it keeps firing, and once when it clears. Counter conditions
 * (failures) fire while the counter rose within the interval, so a burst does not flap.
 *
 * <p>Every node checks. What the store shows (the inbox backlog) is one condition for the cluster: whichever node
 * sees it first tells, by the compare-and-set below. What a node's own counters and disk show is its own: on a
 * PostgreSQL store, where nodes share {@code alert_state}, those conditions carry the node id ({@code
 * outbox_failures:40003@node-a}) and its name in the text, so a healthy node never clears what a failing one
 * fires. A node that stopped checking (dead, or restarted under a new id) has its conditions dropped quietly by
 * the others after {@link #STALE_CHECKS} missed checks.
 */
public final class Alerts {

  private static final Logger log = LoggerFactory.getLogger(Alerts.class);
  static final String PURPOSE = "ops.alert";
  static final int STALE_CHECKS = 5;
  private static final String INBOX_BACKLOG = "inbox_backlog";

  private final Jdbi jdbi;
  private final InboxRepository inbox;
  private final MeterRegistry meters;
  private final Clock clock;
  private final AppConfig.Alerts config;
  private final Optional<ScheduledBackups> backups;
  private final Path dataDir;
  private final AdminNotifier notifier;
  private final long startedAt;
  /** "@node" on a shared (PostgreSQL) store, for the conditions only this node can see; empty on SQLite. */
  private final String nodeSuffix;
  private final String nodeLabel;
  private final long checkEvery;
  /** Per counter condition: the total last seen and when it last rose (in memory: a restart starts afresh). */
  private final Map<String, long[]> counters = new HashMap<>();

  Alerts(Foundation foundation, Optional<ScheduledBackups> backups) {
    this.jdbi = foundation.database().jdbi();
    this.inbox = new InboxRepository(jdbi);
    this.meters = foundation.meters();
    this.clock = foundation.clock();
    this.config = foundation.settings().app().alerts();
    this.backups = backups;
    this.dataDir = foundation.settings().dataDir();
    this.notifier = new AdminNotifier(foundation.outbox(), foundation.json(), clock,
        foundation.settings().app().admins(), foundation.settings().wecom().agentIdAsInt());
    this.startedAt = clock.millis();
    boolean shared = foundation.database().kind() == StoreKind.POSTGRESQL;
    String node = foundation.settings().nodeId();
    this.nodeSuffix = shared ? "@" + node : "";
    this.nodeLabel = shared ? "节点 " + node + "：" : "";
    this.checkEvery = config.checkEvery().toMillis();
    Gauge.builder("liuliang.data.disk.free.ratio", this, a -> a.diskFreeRatio().orElse(1.0))
        .description("usable space left on the data folder's disk, 0..1").register(meters);
  }

  /** Evaluates every condition now; tells the admins what started, keeps firing (per interval) or cleared. */
  public synchronized void check() {
    long now = clock.millis();
    Map<String, String> firing = new LinkedHashMap<>();
    firing(now).forEach((condition, text) -> firing.put(ownKey(condition), INBOX_BACKLOG.equals(condition) ? text
        : nodeLabel + text));
    for (Map.Entry<String, String> f : firing.entrySet()) {
      fire(f.getKey(), f.getValue(), now);
    }
    for (String condition : jdbi.withHandle(h -> h.createQuery(
        "SELECT condition FROM alert_state WHERE firing_since IS NOT NULL").mapTo(String.class).list())) {
      if (condition.contains("@") && !condition.endsWith(nodeSuffix)) {
        dropIfStale(condition, now);
      } else if (!firing.containsKey(condition)) {
        clear(condition, now);
      }
    }
  }

  /** The key a condition of {@link #firing} is kept under: this node's own unless the store shows it to all. */
  private String ownKey(String condition) {
    return INBOX_BACKLOG.equals(condition) ? condition : condition + nodeSuffix;
  }

  /** Another node's condition that node no longer updates: nobody is left to clear it, so it goes without a word. */
  private void dropIfStale(String condition, long now) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE alert_state SET firing_since = NULL, updated_at = :now "
            + "WHERE condition = :c AND firing_since IS NOT NULL AND updated_at < :stale")
        .bind("c", condition).bind("now", now).bind("stale", now - STALE_CHECKS * checkEvery).execute());
  }

  /** The conditions firing now, each with the line the admins read. */
  Map<String, String> firing(long now) {
    Map<String, String> firing = new LinkedHashMap<>();
    long lag = inbox.oldestPendingAge(now);
    if (lag > config.inboxBacklogAge().toMillis()) {
      firing.put(INBOX_BACKLOG, "收件箱积压：最早的待处理回调已等待 " + minutes(lag) + " 分钟（阈值 "
          + minutes(config.inboxBacklogAge().toMillis()) + " 分钟）");
    }
    rose("dead_letters", counterSum("liuliang.inbox.processed", m -> "dead".equals(m.getId().getTag("outcome"))), now)
        .ifPresent(n -> firing.put("dead_letters", "回调处理失败进入死信：" + n + " 条（见控制台）"));
    Map<String, Long> failures = new HashMap<>();
    for (Meter m : meters.find("liuliang.outbox.actions").meters()) {
      String outcome = m.getId().getTag("outcome");
      if (("failed".equals(outcome) || "expired".equals(outcome) || "uncertain".equals(outcome)) && m instanceof Counter c) {
        failures.merge(m.getId().getTag("errcode"), (long) c.count(), Long::sum);
      }
    }
    failures.forEach((errcode, total) -> rose("outbox_failures:" + errcode, total, now)
        .ifPresent(n -> firing.put("outbox_failures:" + errcode, "发件失败（errcode " + errcode + "）：" + n + " 条")));
    rose("token_refresh_failures", counterSum("liuliang.wecom.token.failures", m -> true), now)
        .ifPresent(n -> firing.put("token_refresh_failures", "获取企业微信 access_token 失败 " + n + " 次（检查 WECOM_SECRET 与网络）"));
    long refusals60020 = counterSum("liuliang.wecom.token.failures", m -> "60020".equals(m.getId().getTag("errcode")))
        + timerCount("liuliang.wecom.api", m -> "60020".equals(m.getId().getTag("outcome")));
    rose("trusted_ip_60020", refusals60020, now)
        .ifPresent(n -> firing.put("trusted_ip_60020", "企业微信拒绝本机 IP（errcode 60020）" + n + " 次：在管理后台 企业可信IP 中加入服务器出口 IP"));
    backups.ifPresent(b -> {
      long last = Math.max(startedAt, b.newest().map(Alerts::modified).orElse(0L));
      if (now - last > config.backupMaxAge().toMillis()) {
        firing.put("backup_age", "备份已超过 " + Duration.ofMillis(now - last).toHours() + " 小时未成功（见日志）");
      }
    });
    diskFreeRatio().filter(r -> r * 100 < config.diskFreePercent())
        .ifPresent(r -> firing.put("disk_free", "数据盘剩余空间仅 " + Math.round(r * 100) + "%"));
    return firing;
  }

  private void fire(String condition, String text, long now) {
    long interval = config.interval().toMillis();
    // One compare-and-set decides who tells: a new condition, or one whose last notice is an interval old.
    Long notified = jdbi.withHandle(h -> {
      h.createUpdate("INSERT INTO alert_state (condition, firing_since, detail, updated_at) VALUES (:c, :now, :d, :now) "
              + "ON CONFLICT (condition) DO UPDATE SET firing_since = COALESCE(alert_state.firing_since, :now), detail = :d, updated_at = :now")
          .bind("c", condition).bind("now", now).bind("d", text).execute();
      int won = h.createUpdate("UPDATE alert_state SET notified_at = :now WHERE condition = :c "
              + "AND (notified_at IS NULL OR notified_at <= :due)")
          .bind("c", condition).bind("now", now).bind("due", now - interval).execute();
      return won == 1 ? now : null;
    });
    if (notified != null) {
      log.warn("alert {}: {}", condition, text);
      notifier.tell(PURPOSE, "alert/" + condition + "/" + notified, "【留量告警】" + text);
    }
  }

  private void clear(String condition, long now) {
    // The admins read what they were told when it fired, not the condition's key.
    record Told(Long notifiedAt, String detail) {}
    Told told = jdbi.inTransaction(h -> {
      Told last = h.createQuery("SELECT notified_at, detail FROM alert_state WHERE condition = :c").bind("c", condition)
          .map((rs, ctx) -> new Told((Long) rs.getObject(1, Long.class), rs.getString(2))).findOne().orElse(null);
      int won = h.createUpdate("UPDATE alert_state SET firing_since = NULL, updated_at = :now "
              + "WHERE condition = :c AND firing_since IS NOT NULL").bind("c", condition).bind("now", now).execute();
      return won == 1 ? last : null;
    });
    if (told != null && told.notifiedAt() != null) {
      log.info("alert {} cleared", condition);
      notifier.tell(PURPOSE, "alert/" + condition + "/cleared/" + told.notifiedAt(), "【留量告警解除】已恢复：" + told.detail());
    }
  }

  /** How much the counter rose within the interval, while it did; empty once it stayed flat that long. */
  private Optional<Long> rose(String key, long total, long now) {
    long[] seen = counters.computeIfAbsent(key, k -> new long[] {0, Long.MIN_VALUE, 0});
    // seen = {total at the last check, when it last rose, the total when this rise began}
    if (total > seen[0]) {
      if (seen[1] == Long.MIN_VALUE || now - seen[1] > config.interval().toMillis()) {
        seen[2] = seen[0];
      }
      seen[1] = now;
    }
    seen[0] = total;
    boolean recent = seen[1] != Long.MIN_VALUE && now - seen[1] <= config.interval().toMillis();
    return recent ? Optional.of(total - seen[2]) : Optional.empty();
  }

  private long counterSum(String name, Predicate<Meter> which) {
    long sum = 0;
    for (Meter m : meters.find(name).meters()) {
      if (m instanceof Counter c && which.test(m)) {
        sum += (long) c.count();
      }
    }
    return sum;
  }

  private long timerCount(String name, Predicate<Meter> which) {
    long sum = 0;
    for (Meter m : meters.find(name).meters()) {
      if (m instanceof Timer t && which.test(m)) {
        sum += t.count();
      }
    }
    return sum;
  }

  Optional<Double> diskFreeRatio() {
    try {
      FileStore store = Files.getFileStore(Files.exists(dataDir) ? dataDir : dataDir.toAbsolutePath().getParent());
      return store.getTotalSpace() == 0 ? Optional.empty()
          : Optional.of((double) store.getUsableSpace() / store.getTotalSpace());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static long modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  private static long minutes(long millis) {
    return Duration.ofMillis(millis).toMinutes();
  }
}
