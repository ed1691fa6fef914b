package app.liuliang.group;

import app.liuliang.contact.GroupCodes;
import app.liuliang.sop.GroupTargets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Read-only look-ups of the stored groups for other features: the active groups of categories (SOP
 * group posts by category) and the group codes welcomes offer.
 */
public final class GroupDirectory implements GroupTargets, GroupCodes {

  private final Jdbi jdbi;

  public GroupDirectory(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public Map<String, List<String>> activeChatsByOwner(Collection<String> categories) {
    Map<String, List<String>> byOwner = new HashMap<>();
    if (categories.isEmpty()) {
      return byOwner;
    }
    jdbi.useHandle(h -> h.createQuery("SELECT owner, chat_id FROM group_chats WHERE status = 'active' "
            + "AND category IN (<categories>) AND owner <> '' ORDER BY owner, chat_id")
        .bindList("categories", List.copyOf(categories))
        .map((rs, ctx) -> List.of(rs.getString("owner"), rs.getString("chat_id")))
        .forEach(row -> byOwner.computeIfAbsent(row.get(0), o -> new ArrayList<>()).add(row.get(1))));
    return byOwner;
  }

  /** The QR image URL of the category's group code, once WeCom made it. */
  @Override
  public java.util.Optional<String> qrCode(String category) {
    return jdbi.withHandle(h -> h.createQuery("SELECT qr_code FROM group_join_ways WHERE category = :c AND qr_code <> ''")
        .bind("c", category).mapTo(String.class).findOne());
  }
}
