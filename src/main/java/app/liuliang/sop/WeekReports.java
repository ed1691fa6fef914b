package app.liuliang.sop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

/** The Monday check (no plan for this week yet) and the Sunday summary, to the admins. */
final class WeekReports {

  private final Path weekDir;
  private final SopRepository repository;
  private final AdminNotifier notifier;

  WeekReports(Path weekDir, SopRepository repository, AdminNotifier notifier) {
    this.weekDir = weekDir;
    this.repository = repository;
    this.notifier = notifier;
  }

  static String isoWeek(Instant at, ZoneId zone) {
    return WeekTemplate.name(at.atZone(zone));
  }

  /** True when the admins were told that this week's file is missing. */
  boolean mondayCheck(Instant now, ZoneId zone) {
    String week = isoWeek(now, zone);
    if (Files.exists(weekDir.resolve(week + ".yaml")) || Files.exists(weekDir.resolve(week + ".yml"))) {
      return false;
    }
    return notifier.tell("sop-missing:" + week, "【SOP 提醒】本周（" + week + "）还没有运营计划：请在 config/sop/" + week
        + ".yaml 写好本周的朋友圈、社群和一对一内容，保存后会自动校验并排期。");
  }

  /** The week's items by status, to the admins; once per week. */
  boolean summary(Instant now, ZoneId zone) {
    String week = isoWeek(now, zone);
    Map<String, Long> counts = repository.countByStatus(week);
    long total = counts.values().stream().mapToLong(Long::longValue).sum() - counts.getOrDefault(SopRepository.REMOVED, 0L);
    String text = "【SOP 周报】" + week + "：共 " + total + " 条；已发出 " + sum(counts, SopRepository.SENT, SopRepository.SENDING)
        + "，员工已确认 " + sum(counts, SopRepository.CONFIRMED) + "，失败 " + sum(counts, SopRepository.FAILED)
        + "，错过 " + sum(counts, SopRepository.MISSED) + "，未到时间 " + sum(counts, SopRepository.SCHEDULED) + "。";
    return notifier.tell("sop-summary:" + week, text);
  }

  private static long sum(Map<String, Long> counts, String... statuses) {
    long n = 0;
    for (String s : statuses) {
      n += counts.getOrDefault(s, 0L);
    }
    return n;
  }
}
