package app.liuliang.group;

import app.liuliang.group.GroupCatalog.Category;
import app.liuliang.group.GroupRepository.Change;
import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import app.liuliang.wecom.WeComClient.GroupChat;
import app.liuliang.wecom.WeComClient.GroupMember;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a group with {@code groupchat/get} and stores it: the group, its members, and the joins
 * and leaves since the last read, whose effects {@link GroupEffects} then carries out. Reads of one
 * group on this node take turns (striped locks); a read begun earlier never overwrites one begun
 * later, also across nodes (the {@code fetched_at} compare-and-set).
 */
final class GroupRefresher {

  private static final Logger log = LoggerFactory.getLogger(GroupRefresher.class);

  private final Jdbi jdbi;
  private final WeComClient wecom;
  private final GroupRepository groups;
  private final GroupCatalog catalog;
  private final GroupEffects effects;
  private final Clock clock;
  private final ReentrantLock[] locks = new ReentrantLock[64];

  GroupRefresher(Jdbi jdbi, WeComClient wecom, GroupRepository groups, GroupCatalog catalog, GroupEffects effects,
      Clock clock) {
    this.jdbi = jdbi;
    this.wecom = wecom;
    this.groups = groups;
    this.catalog = catalog;
    this.effects = effects;
    this.clock = clock;
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /**
   * Reads and stores the group.
   *
   * @param leftAt    when members found gone left (the event's time, or now for a sync)
   * @param quitScene the event's QuitScene, or null
   * @return the group as read, empty when the snapshot was stale or the group dismissed meanwhile
   */
  Optional<GroupChat> refresh(String chatId, long leftAt, Integer quitScene) throws WeComApiException {
    ReentrantLock lock = locks[Math.floorMod(chatId.hashCode(), locks.length)];
    lock.lock();
    try {
      long startedAt = clock.millis();
      GroupChat chat = wecom.getGroupChat(chatId);
      String category = categoryOf(chat).map(Category::name).orElse(null);
      List<Change> changes = jdbi.inTransaction(h -> {
        if (!groups.upsertGroup(h, chat, category, startedAt, clock.millis())) {
          return null;
        }
        return groups.applyMembers(h, chatId, chat.members(), leftAt, quitScene);
      });
      if (changes == null) {
        log.info("group {}: snapshot begun at {} is stale, not applied", chatId, startedAt);
        return Optional.empty();
      }
      if (!changes.isEmpty()) {
        log.info("group {} ({}): {} joins, {} leaves, version {}", chatId, category,
            changes.stream().filter(c -> c.change().equals("join")).count(),
            changes.stream().filter(c -> c.change().equals("leave")).count(), chat.memberVersion());
      }
      effects.carryOut(chatId);
      return Optional.of(chat);
    } finally {
      lock.unlock();
    }
  }

  /** By chat id or auto-created room name, else by the group code state its members joined with. */
  private Optional<Category> categoryOf(GroupChat chat) {
    Optional<Category> direct = catalog.categoryOf(chat.chatId(), chat.owner(), chat.name());
    if (direct.isPresent()) {
      return direct;
    }
    return catalog.categories().stream()
        .filter(c -> c.code() != null && !c.code().state().isEmpty())
        .filter(c -> chat.members().stream().map(GroupMember::state).anyMatch(c.code().state()::equals))
        .findFirst();
  }
}
