package app.liuliang.sop;

import app.liuliang.config.Problems;
import app.liuliang.config.YamlDocument;
import app.liuliang.config.YamlReader;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a campaign file and expands it into one item per countdown offset ({@code countdown-3d}
 * due three days before {@code ends_at}), with {@code {remaining}} filled in.
 */
final class CampaignPlanner {

  private final YamlReader yaml;
  private final ContentRules rules;
  private final SopSettings settings;
  private final ZoneId defaultZone;

  CampaignPlanner(YamlReader yaml, ContentRules rules, SopSettings settings, ZoneId defaultZone) {
    this.yaml = yaml;
    this.rules = rules;
    this.settings = settings;
    this.defaultZone = defaultZone;
  }

  static String key(Path file) {
    return "campaign:" + file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
  }

  LoadedPlan validate(Path file, Problems problems) {
    return LoadedPlan.read(yaml, file, Campaign.class, campaign -> key(file), this::check, problems);
  }

  private List<SopItem> check(YamlDocument<Campaign> doc, Problems problems) {
    Campaign c = doc.value();
    String stem = doc.file().getFileName().toString().replaceFirst("\\.ya?ml$", "");
    if (!stem.equals(c.id())) {
      problems.add(doc.problem("/id", "id \"" + c.id() + "\" does not match the file name " + stem, "write id: " + stem));
    }
    ZoneId zone = defaultZone;
    try {
      zone = c.timezone() == null ? defaultZone : ZoneId.of(c.timezone());
    } catch (DateTimeException e) {
      problems.add(doc.problem("/timezone", "unknown timezone \"" + c.timezone() + "\"", "e.g. Asia/Shanghai"));
    }
    ZonedDateTime end = null;
    try {
      end = LocalDateTime.parse(String.valueOf(c.endsAt())).atZone(zone);
    } catch (DateTimeException e) {
      problems.add(doc.problem("/ends_at", "ends_at must be a local date-time, was \"" + c.endsAt() + "\"",
          "e.g. ends_at: \"2026-12-06T22:00\""));
    }
    if (!SopItem.MOMENT.equals(c.channel()) && !SopItem.PERSONAL.equals(c.channel())) {
      problems.add(doc.problem("/channel", "channel must be moment or personal, was \"" + c.channel() + "\"", ""));
    }
    if (SopItem.MOMENT.equals(c.channel()) && c.senders().isEmpty()) {
      problems.add(doc.problem("/senders", "countdown Moments need senders", "senders: [assistant-lily]"));
    }
    rules.accounts(doc, "/senders", c.senders(), problems);
    rules.audience(doc, "/audience", c.audience(), problems);
    rules.text(doc, "", c.text(), c.channel(), !c.attachments().isEmpty(), problems);
    rules.attachments(doc, "/attachments", c.attachments(), c.channel(), problems);
    List<SopItem> items = new ArrayList<>();
    Map<LocalDate, Integer> perDay = new HashMap<>();
    for (int i = 0; i < c.countdown().size(); i++) {
      var offset = Countdown.parse(c.countdown().get(i));
      if (offset.isEmpty()) {
        problems.add(doc.problem("/countdown/" + i, "countdown offset must look like 7d, 3h or 30min, was \""
            + c.countdown().get(i) + "\"", "d = days, h = hours, min = minutes"));
        continue;
      }
      if (end == null) {
        continue;
      }
      ZonedDateTime due = end.minus(offset.get().before());
      if (SopItem.MOMENT.equals(c.channel())
          && perDay.merge(due.toLocalDate(), 1, Integer::sum) == settings.momentsPerDayCap() + 1) {
        problems.add(doc.problem("/countdown/" + i, "more than " + settings.momentsPerDayCap()
            + " countdown Moments on " + due.toLocalDate(), "drop some offsets, or send them 1:1 (channel: personal)"));
      }
      String text = c.text() == null ? "" : c.text().replace("{remaining}", offset.get().remaining());
      items.add(new SopItem(key(doc.file()), "countdown-" + offset.get().label(), "countdown", c.channel(),
          due.toInstant().toEpochMilli(), c.senders(), c.audience(), text, c.attachments(), List.of()));
    }
    return items;
  }
}
