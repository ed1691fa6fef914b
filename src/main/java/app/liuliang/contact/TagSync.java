package app.liuliang.contact;

import app.liuliang.store.ClusterLock;

import app.liuliang.contact.TagCatalog.TagGroup;
import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import app.liuliang.wecom.WeComClient.CorpTag;
import app.liuliang.wecom.WeComClient.CorpTagGroup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the groups and tags of {@code tags.yaml} exist in WeCom (creating only what is missing,
 * never deleting what staff made) and keeps their ids in {@code corp_tags}, since {@code mark_tag}
 * takes ids. Runs at start; runs again on demand when an id is missing (WeCom was down at start).
 */
final class TagSync {

  private static final Logger log = LoggerFactory.getLogger(TagSync.class);

  private final WeComClient wecom;
  private final Jdbi jdbi;
  private final TagCatalog catalog;
  private static final Duration RESYNC_AFTER = Duration.ofMinutes(1);
  private final Clock clock;
  private Instant lastLazySync;
  private boolean lastLazySyncFailed;
  /** tag name → id for the tags of the catalog (their names are unique there). */
  private final Map<String, String> ids = new ConcurrentHashMap<>();

  /** How long a sync may take before another node may take over: a few WeCom calls, far less than this. */
  private static final Duration LOCK_LEASE = Duration.ofMinutes(1);

  private final ClusterLock lock;

  TagSync(WeComClient wecom, Jdbi jdbi, TagCatalog catalog, Clock clock, String nodeId) {
    this.lock = new ClusterLock(jdbi, "tag-sync", nodeId, LOCK_LEASE, clock);
    this.wecom = wecom;
    this.clock = clock;
    this.jdbi = jdbi;
    this.catalog = catalog;
    jdbi.useHandle(h -> h.createQuery("SELECT group_name, tag_name, tag_id FROM corp_tags")
        .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
        .forEach(row -> {
          if (catalog.groupOf(row[1]).filter(row[0]::equals).isPresent()) {
            ids.put(row[1], row[2]);
          }
        }));
  }

  /**
   * Syncs unless every catalog tag already has an id, at most once a minute. Throws while WeCom
   * cannot be reached (so callers retry later); returns when WeCom answered, even if it gave no id
   * for some tag (those tags are then left off, with a warning).
   */
  void ensureSynced() throws WeComApiException {
    if (allKnown()) {
      return;
    }
    synchronized (this) {
      if (allKnown()) {
        return;
      }
      if (lastLazySync != null && clock.instant().isBefore(lastLazySync.plus(RESYNC_AFTER))) {
        if (lastLazySyncFailed) {
          throw WeComApiException.transport("/cgi-bin/externalcontact/get_corp_tag_list",
              "tag sync failed less than " + RESYNC_AFTER.toSeconds() + " s ago", null);
        }
        return;
      }
      lastLazySync = clock.instant();
      lastLazySyncFailed = true;
      sync();
      lastLazySyncFailed = false;
    }
  }

  /**
   * One node at a time (a lock in the store): two nodes starting together would both find a tag missing and
   * both create it. The second lists WeCom's tags after the first is done, and finds nothing missing.
   */
  synchronized void sync() throws WeComApiException {
    try {
      if (!lock.hold(LOCK_LEASE)) {
        throw WeComApiException.transport("/cgi-bin/externalcontact/get_corp_tag_list",
            "another node has been syncing tags for " + LOCK_LEASE.toSeconds() + " s", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw WeComApiException.transport("/cgi-bin/externalcontact/get_corp_tag_list", "interrupted", e);
    }
    try {
      syncHoldingTheLock();
    } finally {
      lock.release();
    }
  }

  private void syncHoldingTheLock() throws WeComApiException {
    List<CorpTagGroup> existing = new ArrayList<>(wecom.listCorpTags());
    int created = 0;
    for (TagGroup wanted : catalog.groups()) {
      Optional<CorpTagGroup> group = existing.stream().filter(g -> g.groupName().equals(wanted.group())).findFirst();
      List<String> missing = wanted.tags().stream()
          .filter(t -> group.map(g -> g.tags().stream().noneMatch(c -> c.name().equals(t))).orElse(true))
          .toList();
      if (!missing.isEmpty()) {
        // add_corp_tag with an existing group_name appends to that group.
        existing.add(wecom.addCorpTags(wanted.group(), missing));
        created += missing.size();
      }
    }
    List<String[]> rows = new ArrayList<>();
    for (CorpTagGroup g : existing) {
      for (CorpTag t : g.tags()) {
        rows.add(new String[] {g.groupName(), t.name(), t.id()});
        if (catalog.groupOf(t.name()).filter(g.groupName()::equals).isPresent()) {
          ids.put(t.name(), t.id());
        }
      }
    }
    jdbi.useTransaction(h -> {
      for (String[] row : rows) {
        h.createUpdate("INSERT INTO corp_tags (group_name, tag_name, tag_id) VALUES (:g, :t, :id) "
                + "ON CONFLICT (group_name, tag_name) DO UPDATE SET tag_id = excluded.tag_id")
            .bind("g", row[0]).bind("t", row[1]).bind("id", row[2]).execute();
      }
    });
    log.info("tag sync: {} corp tags known, {} created", rows.size(), created);
  }

  /** The WeCom id of a catalog tag, if WeCom gave one. */
  Optional<String> id(String tag) {
    return Optional.ofNullable(ids.get(tag));
  }

  boolean allKnown() {
    return catalog.groups().stream().allMatch(g -> ids.keySet().containsAll(g.tags()));
  }
}
