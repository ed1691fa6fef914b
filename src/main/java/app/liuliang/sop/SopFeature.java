package app.liuliang.sop;

import app.liuliang.account.Accounts;
import app.liuliang.app.Feature;
import app.liuliang.app.Foundation;
import app.liuliang.config.ConfigProblem;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import app.liuliang.contact.TagCatalog;
import app.liuliang.wecom.OutboxGuard;
import app.liuliang.wecom.OutboxListener;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The weekly SOP as a {@link Feature}: week plans, campaigns, journeys and recalls on Quartz, sent
 * through the outbox. Build it with {@link #loadConfig} (in FeatureConfigs.load) and the loaded
 * accounts and tags.
 */
public final class SopFeature implements Feature {

  /** What {@link #loadConfig} read: config/sop.yaml and config/journeys.yaml. */
  public record SopConfig(SopSettings settings, Journeys journeys) {
  }

  /** One plan file's outcome on a reload, for {@code POST /api/sop/reload}. */
  public record PlanResult(String plan, String file, boolean valid, int added, int changed, int removed,
      List<String> problems) {
  }

  private final SopEngine engine;
  private final SopScheduler scheduler;
  private final SopRepository repository;
  private final JourneyConfig journeys;
  private final AdminNotifier notifier;

  public SopFeature(Foundation foundation, Accounts accounts, TagCatalog tags, SopConfig config) throws Exception {
    this(foundation, accounts, tags, config, null, GroupTargets.NONE);
  }

  /**
   * @param groupCategories the customer-group categories plans may name (null: not checked)
   * @param groupTargets    where a group post by category goes
   */
  public SopFeature(Foundation foundation, Accounts accounts, TagCatalog tags, SopConfig config,
      Set<String> groupCategories, GroupTargets groupTargets) throws Exception {
    this(foundation, accounts, tags, config, groupCategories, groupTargets, app.liuliang.contact.ReferralCodes.none(),
        app.liuliang.contact.GroupCodes.NONE);
  }

  /**
   * @param referralCodes patients' personal referral codes, for journey steps with {@code {referral_qr}}
   * @param groupCodes    the group codes journey steps may offer ({@code {group_qr:<category>}})
   */
  public SopFeature(Foundation foundation, Accounts accounts, TagCatalog tags, SopConfig config,
      Set<String> groupCategories, GroupTargets groupTargets, app.liuliang.contact.ReferralCodes referralCodes,
      app.liuliang.contact.GroupCodes groupCodes) throws Exception {
    Path configDir = foundation.settings().configDir();
    ZoneId zone = foundation.settings().app().timezone();
    SopSettings settings = config.settings();
    ContentRules rules = new ContentRules(accounts, tags, configDir, groupCategories);
    repository = new SopRepository(foundation.database(), foundation.json());
    AudienceQuery audience = new AudienceQuery(foundation.database().jdbi(), settings.personalCap());
    SopPlans plans = new SopPlans(configDir,
        new WeekPlanValidator(foundation.yaml(), rules, settings, zone),
        new CampaignPlanner(foundation.yaml(), rules, settings, zone), repository, foundation.clock());
    SopDispatcher dispatcher = new SopDispatcher(repository, audience, foundation.outbox(), foundation.wecom(),
        foundation.json(), tags, configDir, settings, groupTargets, new app.liuliang.contact.GroupOffers(groupCodes));
    notifier = new AdminNotifier(foundation.outbox(), foundation.json(), foundation.clock(),
        foundation.settings().app().admins(), agentId(foundation));
    ConfirmationTracker confirmations = new ConfirmationTracker(repository, foundation.wecom(), foundation.outbox(),
        foundation.json(), foundation.clock(), settings.remindAfter(), notifier);
    journeys = new JourneyConfig(configDir, foundation.yaml(), rules, config.journeys());
    JourneyRunner runner = new JourneyRunner(repository, audience, foundation.outbox(), foundation.json(), journeys, zone,
        referralCodes, new app.liuliang.contact.GroupOffers(groupCodes), foundation.wecom());
    engine = new SopEngine(repository, plans, dispatcher, confirmations,
        new WeekReports(plans.weekDir(), repository, notifier), runner, notifier, settings, foundation.clock(), zone,
        foundation.meters());
    scheduler = new SopScheduler(foundation.clock(), engine, foundation.database(), foundation.settings().nodeId());
    engine.attach(scheduler);
    engine.onWatch(this::reload);
  }

  private static int agentId(Foundation foundation) {
    try {
      return foundation.settings().wecom().agentIdAsInt();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** Reads config/sop.yaml and config/journeys.yaml; null when either has problems. */
  public static SopConfig loadConfig(Path configDir, YamlReader yaml, Accounts accounts, TagCatalog tags,
      Problems problems) {
    return loadConfig(configDir, yaml, accounts, tags, null, problems);
  }

  /** @param groupCategories the categories of groups.yaml journey steps may offer (null: not checked) */
  public static SopConfig loadConfig(Path configDir, YamlReader yaml, Accounts accounts, TagCatalog tags,
      Set<String> groupCategories, Problems problems) {
    SopSettings settings = SopSettings.load(configDir, yaml, problems);
    Journeys journeys = Journeys.load(configDir, yaml, new ContentRules(accounts, tags, configDir, groupCategories),
        problems);
    return settings == null || journeys == null ? null : new SopConfig(settings, journeys);
  }

  /** Checks one plan file (a week plan, or a campaign under config/campaigns/) without a store. */
  public static void validateFile(Path configDir, Path file, YamlReader yaml, Accounts accounts, TagCatalog tags,
      SopSettings settings, ZoneId zone, Problems problems) {
    validatePlans(configDir, List.of(file), yaml, accounts, tags, settings, zone, problems);
  }

  /**
   * Checks plan files without a store: what {@code liuliang validate} (every file) and
   * {@code liuliang sop validate} run. Problems go to {@code problems}.
   */
  public static void validatePlans(Path configDir, List<Path> files, YamlReader yaml, Accounts accounts,
      TagCatalog tags, SopSettings settings, ZoneId zone, Problems problems) {
    validatePlans(configDir, files, yaml, accounts, tags, null, settings, zone, problems);
  }

  /** As above, also checking group posts' {@code categories} against these names (groups.yaml). */
  public static void validatePlans(Path configDir, List<Path> files, YamlReader yaml, Accounts accounts,
      TagCatalog tags, Set<String> groupCategories, SopSettings settings, ZoneId zone, Problems problems) {
    ContentRules rules = new ContentRules(accounts, tags, configDir, groupCategories);
    SopPlans plans = new SopPlans(configDir, new WeekPlanValidator(yaml, rules, settings, zone),
        new CampaignPlanner(yaml, rules, settings, zone), null, null);
    for (Path file : files) {
      plans.validate(file, problems);
    }
  }

  /** The week plans, then the campaigns, in name order: the files the server loads. */
  public static List<Path> planFiles(Path configDir) {
    return SopPlans.files(configDir);
  }

  @Override
  public List<OutboxGuard> outboxGuards() {
    return List.of(new SopGuard(repository.jdbi()));
  }

  @Override
  public List<OutboxListener> outboxListeners() {
    return List.of(new SopOutboxListener(engine));
  }

  @Override
  public void start() throws Exception {
    engine.start();
  }

  /** Syncs every changed plan file now (also what the directory watch does every few seconds). */
  public List<PlanResult> reload() {
    List<PlanResult> results = new ArrayList<>();
    JourneyConfig.Refresh journeyFile = journeys.refresh();
    Problems journeyProblems = journeyFile.problems();
    if (!journeyProblems.isEmpty()) {
      results.add(new PlanResult("journeys", journeys.file().toString(), false, 0, 0, 0,
          journeyProblems.sorted().stream().map(ConfigProblem::toString).toList()));
      if (journeyFile.fresh()) {
        notifier.tell("sop-invalid:journeys:" + journeyFile.checksum(),
            "【SOP 旅程配置有误】journeys.yaml 未生效，仍按原配置执行：\n" + journeyProblems);
      }
    }
    for (SopPlans.Change c : engine.reload()) {
      results.add(new PlanResult(c.key(), c.file().toString(), c.valid(),
          c.valid() ? c.diff().added().size() : 0, c.valid() ? c.diff().changed().size() : 0,
          c.valid() ? c.diff().removed().size() : 0,
          c.problems().stream().map(ConfigProblem::toString).toList()));
    }
    return results;
  }

  /** {@code liuliang sop show}: the week's items as a table (day, time, kind, audience, text, status). */
  public static String showWeek(app.liuliang.store.Database database, com.fasterxml.jackson.databind.ObjectMapper json,
      String week, ZoneId zone) {
    return SopTable.render(new SopRepository(database, json).items(week), zone);
  }

  SopEngine engine() {
    return engine;
  }

  @Override
  public boolean schedulerRunning() {
    return scheduler.isRunning();
  }

  @Override
  public void close() throws Exception {
    scheduler.close();
  }
}
