package app.liuliang.web.console;

import app.liuliang.account.Accounts;
import app.liuliang.callback.InboxRepository;
import app.liuliang.group.GroupCatalog;
import app.liuliang.wecom.OutboxRepository;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** The model of each console page, from the read-only queries. Knows nothing of HTTP. */
final class ConsoleViews {

  private static final long PATIENTS_FRESH_MILLIS = 60_000;

  private final TodayQueries today;
  private final WeekQueries week;
  private final PatientQueries patients;
  private final ReferralQueries referrals;
  private final HandoffQueries handoffs;
  private final OutboxQueries outbox;
  private final GroupQueries groups;
  private final int kocCount;
  private final ConsoleTime time;
  private volatile Map<String, Object> patientsModel;
  private volatile long patientsAt;

  ConsoleViews(Jdbi jdbi, InboxRepository inbox, OutboxRepository outbox, ConsoleTime time, Accounts accounts,
      ConsoleNames names, int kocCount, GroupCatalog groupCatalog) {
    this.today = new TodayQueries(jdbi, inbox, outbox, time);
    this.week = new WeekQueries(jdbi, time);
    this.patients = new PatientQueries(jdbi, names);
    this.referrals = new ReferralQueries(jdbi, time);
    this.handoffs = new HandoffQueries(jdbi, time, accounts);
    this.outbox = new OutboxQueries(jdbi, outbox, time);
    this.groups = new GroupQueries(jdbi, time, accounts, groupCatalog);
    this.kocCount = kocCount;
    this.time = time;
  }

  TodayQueries.Today todayNumbers() {
    return today.today();
  }

  List<OutboxQueries.Action> gaveUp() {
    return outbox.gaveUp();
  }

  Map<String, Object> today() {
    TodayQueries.Today t = today.today();
    Map<String, Object> model = new HashMap<>();
    model.put("t", t);
    model.put("sopDue", t.sopDue().entrySet().stream()
        .map(e -> new PatientQueries.Count(e.getKey(), Labels.sopStatus(e.getKey()), e.getValue())).toList());
    return model;
  }

  Map<String, Object> week() {
    Map<String, Object> model = new HashMap<>();
    model.put("calendar", week.calendar());
    model.put("plans", week.plans());
    return model;
  }

  /**
   * The patient statistics scan every contact and layer change (about 0.3 s at 20,000 patients), so
   * the page is computed at most once a minute; it shows counts, not live events.
   */
  Map<String, Object> patients() {
    long now = time.now();
    Map<String, Object> cached = patientsModel;
    if (cached == null || now - patientsAt >= PATIENTS_FRESH_MILLIS || now < patientsAt) {
      cached = computePatients();
      patientsModel = cached;
      patientsAt = now;
    }
    return new HashMap<>(cached);
  }

  private Map<String, Object> computePatients() {
    List<PatientQueries.Count> layers = patients.byLayer();
    List<PatientQueries.Count> channels = patients.byChannel();
    List<PatientQueries.Conversion> conversions = patients.conversions();
    Map<String, Object> model = new HashMap<>();
    model.put("total", patients.total());
    model.put("layers", layers);
    model.put("channels", channels);
    model.put("conversions", conversions);
    model.put("transitions", patients.transitions());
    model.put("layerChart", BarChart.svg("各分层人数",
        layers.stream().map(c -> new BarChart.Bar(c.label(), c.count())).toList()));
    model.put("channelChart", BarChart.svg("各渠道人数",
        channels.stream().map(c -> new BarChart.Bar(c.label(), c.count())).toList()));
    model.put("conversionChart", BarChart.svg("分层转化（人数）",
        conversions.stream().map(c -> new BarChart.Bar(c.from() + "→" + c.to(), c.moved())).toList()));
    return model;
  }

  Map<String, Object> referrals() {
    Map<String, Object> model = new HashMap<>();
    model.put("referrers", referrals.top(kocCount));
    model.put("total", referrals.total());
    model.put("personalCodes", referrals.personalCodes());
    model.put("kocCount", kocCount);
    return model;
  }

  Map<String, Object> handoffs() {
    Map<String, Object> model = new HashMap<>();
    model.put("open", handoffs.open());
    model.put("recent", handoffs.recent());
    return model;
  }

  /** @param patientQuery a patient's name or external userid to look up, or null */
  Map<String, Object> groups(String patientQuery) {
    Map<String, Object> model = new HashMap<>();
    List<GroupQueries.Day> days = groups.perDay();
    model.put("categories", groups.categories());
    model.put("groups", groups.groups());
    model.put("days", GroupQueries.DAYS);
    model.put("joinChart", BarChart.svg("每日入群", days.stream().map(d -> new BarChart.Bar(d.label(), d.joins())).toList()));
    model.put("leaveChart", BarChart.svg("每日退群", days.stream().map(d -> new BarChart.Bar(d.label(), d.leaves())).toList()));
    String query = patientQuery == null ? "" : patientQuery.strip();
    model.put("query", query);
    model.put("patient", query.isEmpty() ? null : groups.patient(query).orElse(null));
    return model;
  }

  /** The poster of one category, or null for an unknown one. */
  Map<String, Object> groupPoster(String category) {
    Map<String, Object> model = new HashMap<>();
    model.put("category", category == null ? null : groups.category(category).orElse(null));
    return model;
  }

  Map<String, Object> outbox() {
    Map<String, Object> model = new HashMap<>();
    model.put("actions", outbox.gaveUp());
    model.put("deadCount", outbox.deadCallbacks().size());
    return model;
  }

  /** 运维: the technical view (callbacks, backlog, dead letters, WeCom's errcodes), off the operator's pages. */
  Map<String, Object> ops() {
    Map<String, Object> model = new HashMap<>();
    model.put("t", today.today());
    model.put("actions", outbox.gaveUp());
    model.put("dead", outbox.deadCallbacks());
    return model;
  }
}
