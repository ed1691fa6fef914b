package app.liuliang.group;

import app.liuliang.callback.CallbackEvent;
import app.liuliang.callback.CallbackHandler;
import app.liuliang.group.GroupRepository.Stored;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code change_external_chat}: a group was created or changed (members, owner, name, notice), or
 * dismissed. A dismissal is stored at once; every other change marks the group for a re-read with
 * {@code groupchat/get} after the settle window ({@link GroupRefreshWorker}), so a burst of events
 * about one group costs one read. Nothing is marked when the stored version already is the event's
 * {@code CurMemVer}, when a read begun after the event happened is stored, or when the group was
 * dismissed (an update that arrived late). The mark is durable: a restart reads it still.
 */
final class GroupChatHandler implements CallbackHandler {

  private static final Logger log = LoggerFactory.getLogger(GroupChatHandler.class);
  private static final Set<String> CHANGES = Set.of("create", "update", "dismiss");

  private final Jdbi jdbi;
  private final GroupRepository groups;
  private final RefreshQueue queue;
  private final Clock clock;
  private final Duration settle;

  GroupChatHandler(Jdbi jdbi, GroupRepository groups, RefreshQueue queue, Clock clock, Duration settle) {
    this.jdbi = jdbi;
    this.groups = groups;
    this.queue = queue;
    this.clock = clock;
    this.settle = settle;
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
      queue.drop(chatId);
      log.info("group {} dismissed{}", chatId, dismissed ? "" : " (already)");
      return;
    }
    String last = event.field("LastMemVer", "");
    String current = event.field("CurMemVer", "");
    jdbi.useTransaction(h -> {
      Optional<Stored> stored = groups.find(h, chatId);
      if (stored.isPresent() && upToDate(stored.get(), at, last, current)) {
        log.debug("group {} {}: already up to date", chatId, event.field("UpdateDetail", event.changeType()));
        return;
      }
      queue.mark(h, chatId, clock.millis() + settle.toMillis(), at, "del_member".equals(event.field("UpdateDetail")),
          last, current, quitScene(event));
    });
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
