package app.liuliang.sop;

import app.liuliang.config.Problems;
import app.liuliang.config.YamlDocument;
import app.liuliang.config.YamlReader;
import app.liuliang.sop.WeekPlan.Audience;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks {@code config/sop/<ISO week>.yaml}: every problem with file:line:column and a
 * hint, or a {@link LoadedPlan} whose items carry their due instants.
 */
public final class WeekPlanValidator {

  static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
  private static final Pattern WEEK = Pattern.compile("\\d{4}-W\\d{2}");
  private static final Pattern TIME = Pattern.compile("\\d{2}:\\d{2}");

  private final YamlReader yaml;
  private final ContentRules rules;
  private final SopSettings settings;
  private final ZoneId defaultZone;

  WeekPlanValidator(YamlReader yaml, ContentRules rules, SopSettings settings, ZoneId defaultZone) {
    this.yaml = yaml;
    this.rules = rules;
    this.settings = settings;
    this.defaultZone = defaultZone;
  }

  /** The plan, or null with the reasons in {@code problems}. */
  LoadedPlan validate(Path file, Problems problems) {
    return LoadedPlan.read(yaml, file, WeekPlan.class, WeekPlan::week, this::check, problems);
  }

  private List<SopItem> check(YamlDocument<WeekPlan> doc, Problems problems) {
    WeekPlan plan = doc.value();
    String expected = file(doc).getFileName().toString().replaceFirst("\\.ya?ml$", "");
    LocalDate monday = null;
    if (plan.week() == null || !WEEK.matcher(plan.week()).matches()) {
      problems.add(doc.problem("/week", "week must look like 2026-W48, was \"" + plan.week() + "\"",
          "the ISO week of the file name: week: " + expected));
    } else {
      if (!plan.week().equals(expected)) {
        problems.add(doc.problem("/week", "week " + plan.week() + " does not match the file name " + expected,
            "rename the file to " + plan.week() + ".yaml, or write week: " + expected));
      }
      try {
        monday = LocalDate.parse(plan.week() + "-1", DateTimeFormatter.ISO_WEEK_DATE);
      } catch (DateTimeException e) {
        problems.add(doc.problem("/week", "no such ISO week: " + plan.week(), "weeks run 01 to 52 or 53"));
      }
    }
    ZoneId zone = defaultZone;
    if (plan.timezone() != null) {
      try {
        zone = ZoneId.of(plan.timezone());
      } catch (DateTimeException e) {
        problems.add(doc.problem("/timezone", "unknown timezone \"" + plan.timezone() + "\"", "e.g. Asia/Shanghai"));
      }
    }
    List<SopItem> items = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    Map<String, Integer> momentsPerDay = new HashMap<>();
    for (int i = 0; i < plan.moments().size(); i++) {
      WeekPlan.Moment m = plan.moments().get(i);
      String at = "/moments/" + i;
      ZonedDateTime due = entry(doc, at, m.id(), m.day(), m.at(), monday, zone, ids, problems);
      if (m.senders().isEmpty()) {
        problems.add(doc.problem(at, "a Moment needs senders", "senders: [assistant-lily]"));
      }
      rules.accounts(doc, at + "/senders", m.senders(), problems);
      rules.audience(doc, at + "/audience", m.audience(), problems);
      if (m.audience() != null && !m.audience().excludeTags().isEmpty()) {
        problems.add(doc.problem(at + "/audience/exclude_tags", "Moments cannot exclude tags",
            "WeCom shows a Moment to customers with any listed tag; drop exclude_tags here"));
      }
      rules.text(doc, at, m.text(), SopItem.MOMENT, !m.attachments().isEmpty(), problems);
      rules.attachments(doc, at + "/attachments", m.attachments(), SopItem.MOMENT, problems);
      String capKey = m.day() + "|" + Audience.orEveryone(m.audience()).describe();
      int count = momentsPerDay.merge(capKey, 1, Integer::sum);
      if (count == settings.momentsPerDayCap() + 1) {
        problems.add(doc.problem(at + "/day", "more than " + settings.momentsPerDayCap() + " Moments on " + m.day()
            + " for " + Audience.orEveryone(m.audience()).describe(),
            "move it to another day, or raise moments_per_day_cap in config/sop.yaml"));
      }
      add(items, plan.week(), m.id(), SopItem.MOMENT, due, m.senders(), m.audience(), m.text(), m.attachments());
    }
    for (int i = 0; i < plan.groups().size(); i++) {
      WeekPlan.GroupPost g = plan.groups().get(i);
      String at = "/groups/" + i;
      ZonedDateTime due = entry(doc, at, g.id(), g.day(), g.at(), monday, zone, ids, problems);
      if (g.owners().isEmpty() && g.categories().isEmpty()) {
        problems.add(doc.problem(at, "a group post needs owners or categories",
            "owners: [assistant-lily] (the staff who own the groups), or categories: [种植VIP群] (config/groups.yaml)"));
      }
      rules.accounts(doc, at + "/owners", g.owners(), problems);
      rules.groupCategories(doc, at + "/categories", g.categories(), problems);
      rules.text(doc, at, g.text(), SopItem.GROUP, !g.attachments().isEmpty(), problems);
      rules.attachments(doc, at + "/attachments", g.attachments(), SopItem.GROUP, problems);
      if (due != null) {
        items.add(new SopItem(plan.week(), g.id(), SopItem.GROUP, SopItem.GROUP, due.toInstant().toEpochMilli(),
            g.owners(), null, g.text(), g.attachments(), g.categories()));
      }
    }
    for (int i = 0; i < plan.personal().size(); i++) {
      WeekPlan.Personal p = plan.personal().get(i);
      String at = "/personal/" + i;
      ZonedDateTime due = entry(doc, at, p.id(), p.day(), p.at(), monday, zone, ids, problems);
      rules.accounts(doc, at + "/senders", p.senders(), problems);
      rules.audience(doc, at + "/audience", p.audience(), problems);
      rules.text(doc, at, p.text(), SopItem.PERSONAL, !p.attachments().isEmpty(), problems);
      rules.attachments(doc, at + "/attachments", p.attachments(), SopItem.PERSONAL, problems);
      add(items, plan.week(), p.id(), SopItem.PERSONAL, due, p.senders(), p.audience(), p.text(), p.attachments());
    }
    return items;
  }

  private static void add(List<SopItem> items, String week, String id, String channel, ZonedDateTime due,
      List<String> senders, Audience audience, String text, List<WeekPlan.Attachment> attachments) {
    if (due != null) {
      items.add(new SopItem(week, id, channel, channel, due.toInstant().toEpochMilli(), senders, audience, text, attachments,
          List.of()));
    }
  }

  /** Checks id, day and time; the due instant, or null when any of them is wrong. */
  private static ZonedDateTime entry(YamlDocument<?> doc, String at, String id, String day, String time,
      LocalDate monday, ZoneId zone, Set<String> ids, Problems problems) {
    boolean ok = true;
    if (id == null || id.isBlank() || !id.matches("[A-Za-z0-9_.-]+")) {
      problems.add(doc.problem(at + "/id", "an item needs an id of letters, digits, - _ or .",
          "e.g. id: mon-case-whitening"));
      ok = false;
    } else if (!ids.add(id)) {
      problems.add(doc.problem(at + "/id", "duplicate id \"" + id + "\"", "ids are unique in the file: rename one"));
    }
    int dayIndex = day == null ? -1 : DAYS.indexOf(day.toLowerCase());
    if (dayIndex < 0) {
      problems.add(doc.problem(at + "/day", "unknown day \"" + day + "\"", "use one of " + String.join(", ", DAYS)));
      ok = false;
    }
    LocalTime localTime = null;
    try {
      if (time != null && TIME.matcher(time).matches()) {
        localTime = LocalTime.parse(time);
      }
    } catch (DateTimeException e) {
      localTime = null;
    }
    if (localTime == null) {
      problems.add(doc.problem(at + "/at", "time must be HH:mm (00:00 to 23:59), was \"" + time + "\"",
          "quote it: at: \"09:30\""));
      ok = false;
    }
    return ok && monday != null ? ZonedDateTime.of(monday.plusDays(dayIndex), localTime, zone) : null;
  }

  private static Path file(YamlDocument<?> doc) {
    return doc.file();
  }
}
