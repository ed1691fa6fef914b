package app.liuliang.web.console;

import app.liuliang.account.Accounts;
import app.liuliang.group.GroupCatalog;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The 客户群 page: categories with their group code and counts, every stored group, joins and leaves
 * per day, and the groups one patient is or was in. Staff names come from accounts.yaml, never ids.
 */
final class GroupQueries {

  static final int DAYS = 14;
  private static final int GROUP_LIMIT = 500;

  record Category(String name, String owners, long groups, long patients, long joins7d, long leaves7d, String qrCode,
      String notice, boolean churnAlert) {
  }

  record Group(String chatId, String name, String category, String owner, String status, long patients, long staff,
      String updatedAt) {
  }

  record Day(String label, long joins, long leaves) {
  }

  record Membership(String groupName, String category, String joinedAt, String leftAt, String status) {
  }

  record Patient(String externalUserId, String name, String layer, List<Membership> groups) {
  }

  private final Jdbi jdbi;
  private final ConsoleTime time;
  private final Accounts accounts;
  private final GroupCatalog catalog;

  GroupQueries(Jdbi jdbi, ConsoleTime time, Accounts accounts, GroupCatalog catalog) {
    this.jdbi = jdbi;
    this.time = time;
    this.accounts = accounts;
    this.catalog = catalog == null ? GroupCatalog.empty() : catalog;
  }

  List<Category> categories() {
    long weekAgo = time.now() - 7L * 24 * 3600 * 1000;
    Map<String, String> qr = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT category, qr_code FROM group_join_ways")
        .map((rs, ctx) -> List.of(rs.getString(1), rs.getString(2))).forEach(r -> qr.put(r.get(0), r.get(1))));
    List<Category> result = new ArrayList<>();
    for (GroupCatalog.Category c : catalog.categories()) {
      long[] counts = jdbi.withHandle(h -> h.createQuery("SELECT "
              + "(SELECT COUNT(*) FROM group_chats WHERE category = :c AND status = 'active'), "
              + "(SELECT COUNT(*) FROM group_members m JOIN group_chats g ON g.chat_id = m.chat_id "
              + "  WHERE g.category = :c AND g.status = 'active' AND m.type = 2 AND m.left_at IS NULL), "
              + "(SELECT COUNT(*) FROM group_member_changes x JOIN group_chats g ON g.chat_id = x.chat_id "
              + "  WHERE g.category = :c AND x.change = 'join' AND x.at >= :since), "
              + "(SELECT COUNT(*) FROM group_member_changes x JOIN group_chats g ON g.chat_id = x.chat_id "
              + "  WHERE g.category = :c AND x.change = 'leave' AND x.at >= :since)")
          .bind("c", c.name()).bind("since", weekAgo)
          .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)}).one());
      result.add(new Category(c.name(), String.join("、", c.owners().stream().map(this::staffName).toList()), counts[0],
          counts[1], counts[2], counts[3], qr.getOrDefault(c.name(), ""), c.notice(), c.churnAlert()));
    }
    return result;
  }

  List<Group> groups() {
    return jdbi.withHandle(h -> h.createQuery("SELECT g.chat_id, g.name, g.category, g.owner, g.status, g.updated_at, "
            + "SUM(CASE WHEN m.type = 2 AND m.left_at IS NULL THEN 1 ELSE 0 END) AS patients, "
            + "SUM(CASE WHEN m.type = 1 AND m.left_at IS NULL THEN 1 ELSE 0 END) AS staff "
            + "FROM group_chats g LEFT JOIN group_members m ON m.chat_id = g.chat_id "
            + "GROUP BY g.chat_id ORDER BY g.status, g.category IS NULL, g.category, g.name LIMIT :limit")
        .bind("limit", GROUP_LIMIT)
        .map((rs, ctx) -> new Group(rs.getString("chat_id"), rs.getString("name").isEmpty() ? "（未命名群）" : rs.getString("name"),
            rs.getString("category") == null ? "未分类" : rs.getString("category"), staffName(rs.getString("owner")),
            "dismissed".equals(rs.getString("status")) ? "已解散" : "正常", rs.getLong("patients"), rs.getLong("staff"),
            time.shortTime(rs.getLong("updated_at"))))
        .list());
  }

  /** Joins and leaves of patients per day, the last {@link #DAYS} days, oldest first. */
  List<Day> perDay() {
    LocalDate first = time.today().minusDays(DAYS - 1);
    long since = time.startOf(first);
    Map<LocalDate, long[]> counts = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT x.change, x.at FROM group_member_changes x JOIN group_members m "
            + "ON m.chat_id = x.chat_id AND m.member_id = x.member_id WHERE x.at >= :since AND m.type = 2")
        .bind("since", since)
        .map((rs, ctx) -> new Object[] {rs.getString(1), rs.getLong(2)})
        .forEach(r -> counts.computeIfAbsent(time.dayOf((Long) r[1]), d -> new long[2])[
            "join".equals(r[0]) ? 0 : 1]++));
    List<Day> days = new ArrayList<>();
    for (int i = 0; i < DAYS; i++) {
      LocalDate day = first.plusDays(i);
      long[] c = counts.getOrDefault(day, new long[2]);
      days.add(new Day(day.getMonthValue() + "-" + day.getDayOfMonth(), c[0], c[1]));
    }
    return days;
  }

  /** A patient by external userid or exact name, with every group they are or were in. */
  Optional<Patient> patient(String query) {
    return jdbi.withHandle(h -> h.createQuery("SELECT external_userid, name, layer FROM contacts "
            + "WHERE external_userid = :q OR name = :q ORDER BY external_userid = :q DESC LIMIT 1")
        .bind("q", query)
        .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}).findOne())
        .map(p -> new Patient(p[0], p[1], Labels.layer(p[2]), memberships(p[0])));
  }

  private List<Membership> memberships(String ext) {
    return jdbi.withHandle(h -> h.createQuery("SELECT g.name, g.category, m.join_time, m.left_at, g.status "
            + "FROM group_members m JOIN group_chats g ON g.chat_id = m.chat_id WHERE m.member_id = :ext "
            + "ORDER BY m.join_time DESC")
        .bind("ext", ext)
        .map((rs, ctx) -> {
          Long left = leftAt(rs);
          String status = "dismissed".equals(rs.getString("status")) ? "群已解散" : left == null ? "在群" : "已退群";
          return new Membership(rs.getString("name"), rs.getString("category") == null ? "未分类" : rs.getString("category"),
              time.shortTime(rs.getLong("join_time")), time.shortTime(left), status);
        }).list());
  }

  Optional<Category> category(String name) {
    return categories().stream().filter(c -> c.name().equals(name)).findFirst();
  }

  private String staffName(String userId) {
    if (userId == null || userId.isEmpty()) {
      return "";
    }
    return accounts == null ? userId : accounts.find(userId).map(a -> a.nickname()).orElse(userId);
  }

  private static Long leftAt(java.sql.ResultSet rs) throws java.sql.SQLException {
    long left = rs.getLong("left_at");
    return rs.wasNull() ? null : left;
  }
}
