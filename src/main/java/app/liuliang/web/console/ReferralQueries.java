package app.liuliang.web.console;

import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The referrers who brought the most new patients; the top N are the clinic's KOC. */
final class ReferralQueries {

  static final int LIMIT = 50;

  record Referrer(int rank, String externalUserId, String name, String layer, long referred, String lastAt,
      boolean koc, String referralCode, String codeStatus, boolean hasQr) {
  }

  /** A patient's personal code, newest first. */
  record PersonalCode(String externalUserId, String name, String layer, String referralCode, String status,
      String error, boolean hasQr, String at) {
  }

  private static final java.util.Map<String, String> CODE_STATUS = java.util.Map.of("active", "已生成", "creating", "生成中",
      "failed", "生成失败", "deleted", "已删除（流失）");

  private final Jdbi jdbi;
  private final ConsoleTime time;

  ReferralQueries(Jdbi jdbi, ConsoleTime time) {
    this.jdbi = jdbi;
    this.time = time;
  }

  /** The top {@link #LIMIT}; ties share the order of who referred last. */
  List<Referrer> top(int kocCount) {
    List<Object[]> rows = jdbi.withHandle(h -> h.createQuery("SELECT r.referrer_external_userid, c.name, c.layer, "
            + "COUNT(*), MAX(r.created_at), c.referral_code, p.status, p.qr_png IS NOT NULL FROM referrals r "
            + "LEFT JOIN contacts c ON c.external_userid = r.referrer_external_userid "
            + "LEFT JOIN referral_codes p ON p.external_userid = r.referrer_external_userid "
            + "GROUP BY r.referrer_external_userid, c.name, c.layer, c.referral_code, p.status, p.qr_png IS NOT NULL "
            + "ORDER BY COUNT(*) DESC, MAX(r.created_at) DESC, r.referrer_external_userid LIMIT :limit")
        .bind("limit", LIMIT)
        .map((rs, ctx) -> new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
            rs.getString(6), rs.getString(7), rs.getBoolean(8)})
        .list());
    List<Referrer> result = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Object[] r = rows.get(i);
      String layer = r[2] == null ? "" : Labels.layer((String) r[2]);
      result.add(new Referrer(i + 1, (String) r[0], r[1] == null ? "" : (String) r[1], layer, (Long) r[3],
          time.shortTime((Long) r[4]), i < kocCount, r[5] == null ? "" : (String) r[5],
          r[6] == null ? "" : CODE_STATUS.getOrDefault((String) r[6], (String) r[6]), (Boolean) r[7]));
    }
    return result;
  }

  /** The newest personal codes (at most {@link #LIMIT}). */
  List<PersonalCode> personalCodes() {
    return jdbi.withHandle(h -> h.createQuery("SELECT p.external_userid, c.name, c.layer, c.referral_code, p.status, "
            + "p.error, p.qr_png IS NOT NULL, p.updated_at FROM referral_codes p "
            + "LEFT JOIN contacts c ON c.external_userid = p.external_userid ORDER BY p.updated_at DESC LIMIT :limit")
        .bind("limit", LIMIT)
        .map((rs, ctx) -> new PersonalCode(rs.getString(1), rs.getString(2) == null ? "" : rs.getString(2),
            rs.getString(3) == null ? "" : Labels.layer(rs.getString(3)), rs.getString(4) == null ? "" : rs.getString(4),
            CODE_STATUS.getOrDefault(rs.getString(5), rs.getString(5)), rs.getString(6), rs.getBoolean(7),
            time.shortTime(rs.getLong(8))))
        .list());
  }

  long total() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM referrals").mapTo(Long.class).one());
  }
}
