package app.liuliang.group;

import app.liuliang.contact.ContactDirectory;
import app.liuliang.contact.ContactDirectory.Patient;
import app.liuliang.contact.ContactLayers;
import app.liuliang.contact.ContactTagger;
import app.liuliang.group.GroupCatalog.Category;
import app.liuliang.group.GroupRepository.Change;
import app.liuliang.group.GroupRepository.Stored;
import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient.GroupMember;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * What a join or leave means for a patient: joining a category's group gives its tags and may raise
 * the layer; leaving a group whose category alerts on churn tells staff. Each change's effects run
 * until done (they are idempotent: a tag or layer already there is a no-op, the alert has its own
 * outbox key), so a crash in between only repeats them.
 */
final class GroupEffects {

  private final Jdbi jdbi;
  private final GroupRepository groups;
  private final GroupCatalog catalog;
  private final ContactDirectory directory;
  private final ContactTagger tagger;
  private final ContactLayers layers;
  private final ChurnAlerts alerts;

  GroupEffects(Jdbi jdbi, GroupRepository groups, GroupCatalog catalog, ContactDirectory directory, ContactTagger tagger,
      ContactLayers layers, ChurnAlerts alerts) {
    this.jdbi = jdbi;
    this.groups = groups;
    this.catalog = catalog;
    this.directory = directory;
    this.tagger = tagger;
    this.layers = layers;
    this.alerts = alerts;
  }

  /** Carries out every pending change of the group; a WeCom failure leaves the rest for the retry. */
  void carryOut(String chatId) throws WeComApiException {
    Optional<Category> category = jdbi.withHandle(h -> groups.find(h, chatId)).map(Stored::category)
        .flatMap(catalog::find);
    for (Change change : jdbi.withHandle(h -> groups.pendingEffects(h, chatId))) {
      Optional<GroupMember> member = jdbi.withHandle(h -> groups.member(h, chatId, change.memberId()));
      boolean patient = member.map(m -> m.type() == 2).orElse(false)
          && directory.find(change.memberId()).isPresent();
      if (patient && category.isPresent()) {
        if (change.change().equals("join")) {
          joined(change.memberId(), category.get());
        } else {
          left(change, category.get());
          continue;
        }
      }
      jdbi.useTransaction(h -> groups.markEffectsDone(h, change.id()));
    }
  }

  private void joined(String ext, Category category) throws WeComApiException {
    for (String tag : category.tags()) {
      tagger.tag(ext, tag, "group");
    }
    if (category.layer() != null) {
      layers.raiseTo(ext, category.layer(), "joined " + category.name());
    }
  }

  /** The alert is queued in the same transaction that marks the change done: once, and never lost. */
  private void left(Change change, Category category) {
    Optional<Patient> patient = directory.find(change.memberId());
    jdbi.useTransaction(h -> {
      if (groups.markEffectsDone(h, change.id()) && category.churnAlert() && patient.isPresent()) {
        alerts.leftGroup(h, patient.get(), category.name(), change.chatId(), change.id());
      }
    });
  }
}
