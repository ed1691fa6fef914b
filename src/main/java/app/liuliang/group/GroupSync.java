package app.liuliang.group;

import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The full sync that heals missed events: lists every group of the owners ({@code groupchat/list},
 * at most 100 owners a call, paged by cursor), re-reads each, and marks dismissed the stored groups of
 * those owners that WeCom no longer lists.
 */
final class GroupSync {

  private static final Logger log = LoggerFactory.getLogger(GroupSync.class);
  static final int OWNERS_PER_CALL = 100;
  static final int PAGE = 1000;

  /** What one sync did. */
  record Report(int listed, int refreshed, int dismissed, int failed) {
  }

  private final Jdbi jdbi;
  private final WeComClient wecom;
  private final GroupRepository groups;
  private final GroupRefresher refresher;
  private final List<String> owners;
  private final Clock clock;

  GroupSync(Jdbi jdbi, WeComClient wecom, GroupRepository groups, GroupRefresher refresher, List<String> owners,
      Clock clock) {
    this.jdbi = jdbi;
    this.wecom = wecom;
    this.groups = groups;
    this.refresher = refresher;
    this.owners = List.copyOf(owners);
    this.clock = clock;
  }

  /** Lists and re-reads everything; a listing failure stops the sync (nothing is marked dismissed). */
  synchronized Report run() throws WeComApiException {
    Set<String> listed = new HashSet<>();
    for (int from = 0; from < owners.size(); from += OWNERS_PER_CALL) {
      List<String> batch = owners.subList(from, Math.min(owners.size(), from + OWNERS_PER_CALL));
      String cursor = "";
      do {
        WeComClient.GroupChatPage page = wecom.listGroupChats(batch, cursor, PAGE);
        listed.addAll(page.chatIds());
        cursor = page.nextCursor();
      } while (!cursor.isEmpty());
    }
    int refreshed = 0;
    int failed = 0;
    for (String chatId : listed) {
      try {
        refresher.refresh(chatId, clock.millis(), null);
        refreshed++;
      } catch (WeComApiException e) {
        failed++;
        log.warn("group sync: groupchat/get {} failed ({}); the next sync tries again", chatId, e.getMessage());
      }
    }
    List<String> vanished = new ArrayList<>(jdbi.withHandle(h -> groups.activeChatsOwnedBy(h, owners)));
    vanished.removeAll(listed);
    long now = clock.millis();
    int dismissed = 0;
    for (String chatId : vanished) {
      if (jdbi.inTransaction(h -> groups.dismiss(h, chatId, now))) {
        dismissed++;
      }
    }
    Report report = new Report(listed.size(), refreshed, dismissed, failed);
    log.info("group sync: {} listed, {} read, {} gone (dismissed), {} failed", listed.size(), refreshed, dismissed, failed);
    return report;
  }
}
