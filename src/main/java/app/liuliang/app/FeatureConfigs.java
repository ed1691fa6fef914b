package app.liuliang.app;

import app.liuliang.account.Accounts;
import app.liuliang.channel.ChannelCodesFeature;
import app.liuliang.contact.ReferralSettings;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import app.liuliang.contact.ChannelCatalog;
import app.liuliang.contact.NewPatients;
import app.liuliang.contact.TagCatalog;
import app.liuliang.contact.WelcomeTemplates;
import app.liuliang.group.CustomerGroups;
import app.liuliang.group.GroupDirectory;
import app.liuliang.group.GroupCatalog;
import app.liuliang.message.FaqLibrary;
import app.liuliang.message.MessageFeature;
import app.liuliang.message.MessageRules;
import app.liuliang.ops.OpsFeature;
import app.liuliang.sop.SopFeature;
import app.liuliang.web.AdminAuth;
import app.liuliang.web.EventsRoutes;
import app.liuliang.web.GroupRoutes;
import app.liuliang.web.ObservabilityRoutes;
import app.liuliang.web.Routes;
import app.liuliang.web.SopRoutes;
import app.liuliang.web.console.ConsoleRoutes;
import app.liuliang.web.console.PatientRoutes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The feature files under {@code config/}, loaded together so that {@code validate} and start-up
 * report every problem at once, and the features built from them. Each feature adds its lines here:
 * a field, its load in {@link #load}, its construction in {@link #createFeatures}.
 */
final class FeatureConfigs {

  final Accounts accounts;
  final TagCatalog tags;
  final ChannelCatalog channels;
  final WelcomeTemplates welcomes;
  final MessageRules messageRules;
  final FaqLibrary faq;
  final SopFeature.SopConfig sop;
  final ReferralSettings referral;
  final GroupCatalog groups;
  /** config/transfer.yaml (issue 15, staff transfers); loaded apart from the constructor to keep merges small. */
  app.liuliang.transfer.TransferSettings transfer;
  final app.liuliang.sidebar.SidebarConfig sidebar;
  /** config/compliance.yaml (null: no file); its words are also synced to WeCom as intercept rules. */
  app.liuliang.compliance.AdvertisingWords compliance;

  private FeatureConfigs(Accounts accounts, TagCatalog tags, ChannelCatalog channels, WelcomeTemplates welcomes,
      MessageRules messageRules, FaqLibrary faq, SopFeature.SopConfig sop, ReferralSettings referral,
      GroupCatalog groups, app.liuliang.sidebar.SidebarConfig sidebar) {
    this.accounts = accounts;
    this.tags = tags;
    this.channels = channels;
    this.welcomes = welcomes;
    this.messageRules = messageRules;
    this.faq = faq;
    this.sop = sop;
    this.referral = referral;
    this.groups = groups;
    this.sidebar = sidebar;
  }

  static FeatureConfigs load(Path configDir, YamlReader yaml, Problems problems) {
    // First: every file read after it has its sent texts checked against the advertising words.
    app.liuliang.compliance.AdvertisingWords compliance =
        app.liuliang.compliance.AdvertisingWords.install(configDir, yaml, problems);
    Accounts accounts = Accounts.load(configDir, yaml, problems);
    TagCatalog tags = TagCatalog.load(configDir, yaml, problems);
    ChannelCatalog channels = ChannelCatalog.load(configDir, yaml, tags, accounts, problems);
    GroupCatalog groups = GroupCatalog.load(configDir, yaml, accounts, tags, problems);
    WelcomeTemplates welcomes = WelcomeTemplates.load(configDir, yaml, channels, accounts,
        groups == null ? null : groups.names(), problems);
    MessageRules messageRules = MessageRules.load(configDir, yaml, tags, accounts, problems);
    FaqLibrary faq = FaqLibrary.load(configDir, yaml, accounts, problems);
    SopFeature.SopConfig sop = SopFeature.loadConfig(configDir, yaml, accounts, tags,
        groups == null ? null : groups.names(), problems);
    ReferralSettings referral = ReferralSettings.load(configDir, yaml, problems);
    app.liuliang.sidebar.SidebarConfig sidebar = app.liuliang.sidebar.SidebarConfig.load(configDir, yaml, problems);
    FeatureConfigs configs = new FeatureConfigs(accounts, tags, channels, welcomes, messageRules, faq, sop, referral,
        groups, sidebar);
    configs.transfer = app.liuliang.transfer.TransferSettings.load(configDir, yaml, problems);
    configs.compliance = compliance;
    return configs;
  }

  List<Feature> createFeatures(Foundation foundation) throws Exception {
    List<Feature> features = new ArrayList<>();
    GroupDirectory groupDirectory = new GroupDirectory(foundation.database().jdbi());
    NewPatients patients = new NewPatients(foundation, accounts, tags, channels, welcomes, groupDirectory, referral);
    features.add(patients);
    ChannelCodesFeature channelCodes = new ChannelCodesFeature(foundation, accounts, tags, channels, referral);
    MessageFeature messages = new MessageFeature(foundation, accounts, tags, messageRules, faq, patients,
        channelCodes.referralCodes());
    features.add(messages);
    features.add(new SopFeature(foundation, accounts, tags, sop, groups.names(),
        groupDirectory, channelCodes.referralCodes(), groupDirectory));
    features.add(new CustomerGroups(foundation, accounts, groups, patients));
    features.add(channelCodes);
    features.add(new OpsFeature(foundation));
    features.add(new app.liuliang.transfer.TransferFeature(foundation, accounts, transfer,
        java.util.Optional.of(messages.handoffs()), java.util.Optional.of(channelCodes.personal())));
    features.add(new app.liuliang.figures.FiguresFeature(foundation, accounts));
    features.add(new app.liuliang.compliance.InterceptRuleFeature(foundation, compliance));
    return features;
  }

  List<Routes> createRoutes(Foundation foundation, AdminAuth auth, List<Feature> features,
      java.util.Optional<app.liuliang.sandbox.SandboxWeCom> sandbox) {
    List<Routes> routes = new ArrayList<>();
    routes.add(new ObservabilityRoutes(foundation, () -> features.stream().allMatch(Feature::schedulerRunning)));
    ChannelCodesFeature channelCodes = features.stream().filter(ChannelCodesFeature.class::isInstance)
        .map(ChannelCodesFeature.class::cast).findFirst().orElseThrow();
    NewPatients newPatients = features.stream().filter(NewPatients.class::isInstance).map(NewPatients.class::cast)
        .findFirst().orElseThrow();
    MessageFeature messages = features.stream().filter(MessageFeature.class::isInstance)
        .map(MessageFeature.class::cast).findFirst().orElseThrow();
    ConsoleRoutes console = new ConsoleRoutes(foundation, auth, accounts, tags, groups, channelCodes,
        newPatients.referralProgramme(),
        new PatientRoutes.Workplace(newPatients.tagger(), newPatients.optOuts(), messages.handoffs()), sandbox);
    routes.add(console);
    features.stream().filter(app.liuliang.transfer.TransferFeature.class::isInstance).findFirst().ifPresent(t ->
        routes.add(new app.liuliang.web.console.TransferRoutes(console, foundation, accounts, tags,
            ((app.liuliang.transfer.TransferFeature) t).transfers())));
    routes.add(new app.liuliang.web.sidebar.SidebarRoutes(foundation, accounts, sidebar, faq,
        new app.liuliang.web.console.SidebarViews(foundation, accounts, tags, channelCodes::catalog,
            newPatients.referralProgramme()), newPatients.tagger(), messages.handoffs()));
    for (Feature feature : features) {
      if (feature instanceof NewPatients patients) {
        routes.add(new EventsRoutes(patients.practiceEvents(), auth));
      } else if (feature instanceof CustomerGroups customerGroups) {
        routes.add(new GroupRoutes(customerGroups, auth));
      } else if (feature instanceof SopFeature sopFeature) {
        routes.add(new SopRoutes(sopFeature, auth));
      } else if (feature instanceof app.liuliang.figures.FiguresFeature figures) {
        routes.add(new app.liuliang.web.console.StaffRoutes(console, figures.figures()));
      }
    }
    return routes;
  }
}
