package app.liuliang.contact;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Read-only views of the contact tables per staff member, for the per-staff figures
 * ({@code figures/}): which staff the store knows as follow users, and the referred patients each
 * one gained.
 */
public final class StaffContacts {

  private final Jdbi jdbi;

  public StaffContacts(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Every staff userid that follows a patient now: staff whose patients all left or were transferred
   * (often staff who left the clinic, whom WeCom may no longer know) are not asked for figures any more.
   */
  public List<String> followUserIds() {
    return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT userid FROM contact_follows WHERE status = 'active' "
            + "ORDER BY userid")
        .mapTo(String.class).list());
  }

  /**
   * Referrals recorded in the period, per staff member the referred patient added: the one behind the
   * referrer's personal code ({@code state = ref:<code>}).
   */
  public Map<String, Integer> referralsBetween(long fromMillis, long toMillis) {
    return jdbi.withHandle(h -> h.createQuery("SELECT f.userid, COUNT(*) FROM referrals r "
            + "JOIN contact_follows f ON f.external_userid = r.referee_external_userid AND f.state = 'ref:' || r.code "
            + "WHERE r.created_at >= :from AND r.created_at < :to GROUP BY f.userid")
        .bind("from", fromMillis).bind("to", toMillis)
        .reduceRows(new TreeMap<String, Integer>(), (acc, row) -> {
          acc.put(row.getColumn(1, String.class), row.getColumn(2, Integer.class));
          return acc;
        }));
  }
}
