package app.liuliang.sop;

import app.liuliang.config.Problems;
import app.liuliang.config.YamlDocument;
import app.liuliang.config.YamlReader;
import app.liuliang.sop.WeekPlan.Attachment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code config/journeys.yaml} (optional): 1:1 sequences relative to when a patient was added or
 * visited, and {@code config/recalls.yaml} style recall rules in the same file under {@code recalls}.
 *
 * @param journeys sequences; each stops when the patient replies, books, opts out or is lost
 * @param recalls  reminders after a visit type, and before membership benefits expire
 */
public record Journeys(List<Journey> journeys, Recalls recalls) {

  public static final String FILE = "journeys.yaml";

  public Journeys {
    journeys = journeys == null ? List.of() : List.copyOf(journeys);
    recalls = recalls == null ? new Recalls(null, null) : recalls;
  }

  public static Journeys none() {
    return new Journeys(null, null);
  }

  /**
   * @param trigger  added (became a contact) or visited (a contact_activities visit)
   * @param channels only contacts from these channels (contacts.channel); empty = all
   * @param layers   only contacts in these layers; empty = all
   * @param window   how late a step may still go out (default P1D)
   */
  public record Journey(String id, String trigger, List<String> channels, List<String> layers, Duration window,
      List<Step> steps) {
    public Journey {
      channels = channels == null ? List.of() : List.copyOf(channels);
      layers = layers == null ? List.of() : List.copyOf(layers);
      window = window == null ? Duration.ofDays(1) : window;
      steps = steps == null ? List.of() : List.copyOf(steps);
    }
  }

  /** Day N after the trigger (day 1 = the next day) at a local time. */
  public record Step(Integer day, String at, String text, List<Attachment> attachments) {
    public Step {
      attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }
  }

  /** Recall rules. */
  public record Recalls(List<VisitRecall> visits, MembershipRecall memberships) {
    public Recalls {
      visits = visits == null ? List.of() : List.copyOf(visits);
    }
  }

  /** A reminder {@code after} a visit of {@code subtype} (contact_activities.subtype), unless they came again. */
  public record VisitRecall(String subtype, Period after, String at, String text) {
  }

  /**
   * A reminder {@code before} a membership benefit expires: contact_activities type=membership,
   * subtype = the benefit, detail = {"expires_at": epoch millis}; used = a later
   * {@code membership_used} activity with the same subtype.
   */
  public record MembershipRecall(Period before, String at, String text) {
  }

  /** Loads and checks the file when present; {@link #none()} when absent; null when invalid. */
  static Journeys load(Path configDir, YamlReader yaml, ContentRules rules, Problems problems) {
    Path file = configDir.resolve(FILE);
    if (!Files.exists(file)) {
      return none();
    }
    YamlDocument<Journeys> doc = yaml.read(file, Journeys.class, problems);
    if (!doc.isValid()) {
      return null;
    }
    Problems found = new Problems();
    doc.value().check(doc, rules, found);
    problems.addAll(found);
    return found.isEmpty() ? doc.value() : null;
  }

  private void check(YamlDocument<Journeys> doc, ContentRules rules, Problems problems) {
    Set<String> ids = new HashSet<>();
    for (int j = 0; j < journeys.size(); j++) {
      Journey journey = journeys.get(j);
      String at = "/journeys/" + j;
      if (journey.id() == null || !ids.add(journey.id())) {
        problems.add(doc.problem(at + "/id", "each journey needs a unique id", "e.g. id: new-patient-care"));
      }
      if (!"added".equals(journey.trigger()) && !"visited".equals(journey.trigger())) {
        problems.add(doc.problem(at + "/trigger", "trigger must be added or visited, was \"" + journey.trigger() + "\"", ""));
      }
      rules.audience(doc, at, new WeekPlan.Audience(null, journey.layers(), null), problems);
      for (int s = 0; s < journey.steps().size(); s++) {
        Step step = journey.steps().get(s);
        String here = at + "/steps/" + s;
        if (step.day() == null || step.day() < 0 || step.day() > 365) {
          problems.add(doc.problem(here + "/day", "day must be 0..365", "day 1 = the day after the trigger"));
        }
        time(doc, here + "/at", step.at(), problems);
        rules.personalText(doc, here, step.text(), !step.attachments().isEmpty(), problems);
        rules.attachments(doc, here + "/attachments", step.attachments(), SopItem.PERSONAL, problems);
      }
    }
    for (int v = 0; v < recalls.visits().size(); v++) {
      VisitRecall r = recalls.visits().get(v);
      String here = "/recalls/visits/" + v;
      if (r.subtype() == null || r.after() == null || r.after().isNegative() || r.after().isZero()) {
        problems.add(doc.problem(here, "a visit recall needs subtype and after", "e.g. subtype: cleaning, after: P6M"));
      }
      time(doc, here + "/at", r.at(), problems);
      rules.personalText(doc, here, r.text(), false, problems);
    }
    if (recalls.memberships() != null) {
      MembershipRecall m = recalls.memberships();
      if (m.before() == null || m.before().isNegative() || m.before().isZero()) {
        problems.add(doc.problem("/recalls/memberships/before", "before must be a positive period", "e.g. P30D"));
      }
      time(doc, "/recalls/memberships/at", m.at(), problems);
      rules.personalText(doc, "/recalls/memberships", m.text(), false, problems);
    }
  }

  private static void time(YamlDocument<?> doc, String at, String value, Problems problems) {
    try {
      LocalTime.parse(String.valueOf(value));
    } catch (DateTimeParseException e) {
      problems.add(doc.problem(at, "time must be HH:mm, was \"" + value + "\"", "quote it: at: \"10:00\""));
    }
  }
}
