package app.liuliang.web.console;

import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The referrers who brought the most new patients; the top N are the clinic's KOC. */
final class ReferralQueries {

  static final int LIMIT = 50;

  record Referrer(int rank, String externalUserId, String name, String layer, long referred, String lastAt,
      boolean koc) {
  }

  private final Jdbi jdbi;
  private final ConsoleTime time;

  ReferralQueries(Jdbi jdbi, ConsoleTime time) {
    this.jdbi = jdbi;
    this.time = time;
  }

  /** The top {@link #LIMIT}; ties share the order of who referred last. */
  List<Referrer> top(int kocCount) {
    List<Object[]> rows = jdbi.withHandle(h -> h.createQuery("SELECT r.referrer_external_userid, c.name, c.layer, "
            + "COUNT(*), MAX(r.created_at) FROM referrals r "
            + "LEFT JOIN contacts c ON c.external_userid = r.referrer_external_userid "
            + "GROUP BY r.referrer_external_userid, c.name, c.layer "
            + "ORDER BY COUNT(*) DESC, MAX(r.created_at) DESC, r.referrer_external_userid LIMIT :limit")
        .bind("limit", LIMIT)
        .map((rs, ctx) -> new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)})
        .list());
    List<Referrer> result = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Object[] r = rows.get(i);
      String layer = r[2] == null ? "" : Labels.layer((String) r[2]);
      result.add(new Referrer(i + 1, (String) r[0], r[1] == null ? "" : (String) r[1], layer, (Long) r[3],
          time.shortTime((Long) r[4]), i < kocCount));
    }
    return result;
  }

  long total() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM referrals").mapTo(Long.class).one());
  }
}
