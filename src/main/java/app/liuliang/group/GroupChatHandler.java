package app.liuliang.group;

import app.liuliang.callback.CallbackEvent;
import app.liuliang.callback.CallbackHandler;
import app.liuliang.group.GroupRepository.Stored;
import app.liuliang.wecom.WeComClient.GroupChat;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code change_external_chat}: a group was created or changed (members, owner, name, notice), or
 * dismissed. Every change but a dismissal re-reads the group with {@code groupchat/get}; the inbox
 * keeps one group's events in order (their ordering key is the ChatId). A read is skipped when the
 * stored version already is the event's {@code CurMemVer}, or when a read begun after the event
 * happened is stored (so a burst of joins to one group costs few reads). WeCom's data may lag the
 * event: a read still showing the event's {@code LastMemVer} is retried later, with the inbox's backoff.
 */
final class GroupChatHandler implements CallbackHandler {

  private static final Logger log = LoggerFactory.getLogger(GroupChatHandler.class);
  private static final Set<String> CHANGES = Set.of("create", "update", "dismiss");

  private final Jdbi jdbi;
  private final GroupRepository groups;
  private final GroupRefresher refresher;

  GroupChatHandler(Jdbi jdbi, GroupRepository groups, GroupRefresher refresher) {
    this.jdbi = jdbi;
    this.groups = groups;
    this.refresher = refresher;
  }

  /** WeCom's data does not show the change yet: the inbox tries again with backoff. */
  static final class NotYetVisible extends RuntimeException {
    NotYetVisible(String message) {
      super(message);
    }
  }

  @Override
  public boolean accepts(CallbackEvent event) {
    return "change_external_chat".equals(event.event());
  }

  @Override
  public void handle(CallbackEvent event) throws Exception {
    String chatId = event.field("ChatId", "");
    if (chatId.isEmpty() || !CHANGES.contains(event.changeType())) {
      throw new PermanentFailure("change_external_chat without ChatId or with change type \"" + event.changeType() + "\"");
    }
    long at = event.occurredAt().toEpochMilli();
    if ("dismiss".equals(event.changeType())) {
      boolean dismissed = jdbi.inTransaction(h -> groups.dismiss(h, chatId, at));
      log.info("group {} dismissed{}", chatId, dismissed ? "" : " (already)");
      return;
    }
    Optional<Stored> stored = jdbi.withHandle(h -> groups.find(h, chatId));
    String last = event.field("LastMemVer", "");
    String current = event.field("CurMemVer", "");
    if (stored.isPresent() && upToDate(stored.get(), at, last, current)) {
      log.debug("group {} {}: already up to date", chatId, event.field("UpdateDetail", event.changeType()));
      return;
    }
    Optional<GroupChat> read = refresher.refresh(chatId, at, quitScene(event));
    if (read.isPresent() && !last.isEmpty() && !current.isEmpty() && read.get().memberVersion().equals(last)) {
      throw new NotYetVisible("groupchat/get still shows version " + last + " of group " + chatId + ", before the event");
    }
  }

  /**
   * A dismissed group takes no more updates (an update after the dismissal arrived late); otherwise
   * the stored read shows the event's version, or began after the event (CreateTime has whole seconds)
   * without showing the version before it.
   */
  private static boolean upToDate(Stored stored, long eventAt, String last, String current) {
    if (stored.dismissed()) {
      return true;
    }
    if (!current.isEmpty() && current.equals(stored.memberVersion())) {
      return true;
    }
    boolean readAfterEvent = stored.fetchedAt() >= eventAt + 1000;
    return readAfterEvent && (last.isEmpty() || !last.equals(stored.memberVersion()));
  }

  private static Integer quitScene(CallbackEvent event) {
    try {
      return event.field("QuitScene") == null ? null : Integer.valueOf(event.field("QuitScene").trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
