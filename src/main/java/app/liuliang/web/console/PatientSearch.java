package app.liuliang.web.console;

import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * The patient list: search and filters over {@code contacts}, newest (or by name) first, a page at a
 * time. One query for the page and one for the count; the tag and doctor filters are index lookups
 * ({@code V70}), the text search a scan of one table (a few ms at 30,000 patients).
 */
final class PatientSearch {

  static final int PAGE_SIZE = 50;

  /** What the operator asked for; empty strings mean "any". */
  record Filter(String q, String layer, String channel, String store, String tag, String doctor, String optedOut,
      String status, String sort, int page) {

    Filter {
      q = clean(q);
      layer = clean(layer);
      channel = clean(channel);
      store = clean(store);
      tag = clean(tag);
      doctor = clean(doctor);
      optedOut = clean(optedOut);
      status = status == null ? "active" : status.strip();
      sort = "name".equals(sort) ? "name" : "added";
      page = Math.max(1, page);
    }

    private static String clean(String value) {
      return value == null ? "" : value.strip();
    }
  }

  record Row(String externalUserId, String name, String phone, String channel, String store, String layer,
      boolean optedOut, String status, String addedAt, String referralCode) {
  }

  record Page(List<Row> rows, long total, int page, int pages) {
  }

  private final Jdbi jdbi;
  private final ConsoleTime time;
  private final ConsoleNames names;

  PatientSearch(Jdbi jdbi, ConsoleTime time, ConsoleNames names) {
    this.jdbi = jdbi;
    this.time = time;
    this.names = names;
  }

  Page search(Filter f) {
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    List<Binding> bindings = new ArrayList<>();
    if (!f.q().isEmpty()) {
      // Name, phone and the staff's remarks by substring; referral code and external id exactly (they are
      // typed or pasted whole). '!' escapes: Jdbi's parser reads a backslash inside quotes as an escape of its own.
      where.append(" AND (c.name LIKE :like ESCAPE '!' OR c.phone LIKE :like ESCAPE '!' "
          + "OR c.referral_code = :upper OR c.external_userid = :exact "
          + "OR EXISTS (SELECT 1 FROM contact_follows rf WHERE rf.external_userid = c.external_userid "
          + "AND rf.remark LIKE :like ESCAPE '!'))");
      bindings.add(q -> q.bind("like", "%" + escapeLike(f.q()) + "%").bind("upper", f.q().toUpperCase())
          .bind("exact", f.q()));
    }
    equal(where, bindings, "c.layer", "layer", f.layer());
    equal(where, bindings, "c.channel", "channel", f.channel());
    equal(where, bindings, "c.store", "store", f.store());
    if (!f.tag().isEmpty()) {
      where.append(" AND c.external_userid IN (SELECT external_userid FROM contact_tags WHERE tag_name = :tag)");
      bindings.add(q -> q.bind("tag", f.tag()));
    }
    if (!f.doctor().isEmpty()) {
      where.append(" AND c.external_userid IN (SELECT external_userid FROM contact_follows "
          + "WHERE userid = :doctor AND status = 'active')");
      bindings.add(q -> q.bind("doctor", f.doctor()));
    }
    if (f.optedOut().equals("1") || f.optedOut().equals("0")) {
      where.append(" AND c.opted_out = :optedOut");
      bindings.add(q -> q.bind("optedOut", Integer.parseInt(f.optedOut())));
    }
    if (!f.status().isEmpty() && !f.status().equals("all")) {
      where.append(" AND c.status = :status");
      bindings.add(q -> q.bind("status", f.status()));
    }
    String order = f.sort().equals("name")
        ? " ORDER BY c.name = '', c.name, c.external_userid"
        : " ORDER BY c.added_at DESC, c.external_userid DESC";
    return jdbi.withHandle(h -> {
      Query count = h.createQuery("SELECT COUNT(*) FROM contacts c" + where);
      bindings.forEach(b -> b.bind(count));
      long total = count.mapTo(Long.class).one();
      int pages = (int) Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
      int page = Math.min(f.page(), pages);
      Query rows = h.createQuery("SELECT c.external_userid, c.name, c.phone, c.channel, c.store, c.layer, c.opted_out, "
          + "c.status, c.added_at, c.referral_code FROM contacts c" + where + order + " LIMIT :limit OFFSET :offset");
      bindings.forEach(b -> b.bind(rows));
      List<Row> list = rows.bind("limit", PAGE_SIZE).bind("offset", (page - 1) * PAGE_SIZE)
          .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3) == null ? "" : rs.getString(3),
              names.channel(rs.getString(4)), names.store(rs.getString(5)), Labels.layer(rs.getString(6)),
              rs.getInt(7) == 1, Labels.contactStatus(rs.getString(8)), time.shortTime(rs.getLong(9)),
              rs.getString(10) == null ? "" : rs.getString(10)))
          .list();
      return new Page(list, total, page, pages);
    });
  }

  private interface Binding {
    void bind(Query query);
  }

  private static void equal(StringBuilder where, List<Binding> bindings, String column, String name, String value) {
    if (!value.isEmpty()) {
      where.append(" AND ").append(column).append(" = :").append(name);
      bindings.add(q -> q.bind(name, value));
    }
  }

  static String escapeLike(String text) {
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }
}
