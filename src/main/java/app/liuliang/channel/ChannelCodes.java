package app.liuliang.channel;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code channel_codes} table: one row per code Liuliang made or means to make. Every change is
 * a compare-and-set on the row's lease, so two nodes (or a node and {@code liuliang channels sync})
 * never work on one code at once.
 */
final class ChannelCodes {

  static final String CREATING = "creating";
  static final String ACTIVE = "active";
  static final String DELETED = "deleted";
  static final String FAILED = "failed";

  /** A stored code. */
  record Row(String state, String channel, String store, String spec, String specHash, String configId, String qrUrl,
      boolean hasQr, String status, String error, long createdAt, long updatedAt) {
  }

  private static final String COLUMNS = "state, channel, store, spec, spec_hash, config_id, qr_url, "
      + "qr_png IS NOT NULL, status, error, created_at, updated_at";

  private final Jdbi jdbi;

  ChannelCodes(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  List<Row> all() {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM channel_codes ORDER BY channel, store, state")
        .map((rs, ctx) -> row(rs)).list());
  }

  Optional<Row> find(String state) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM channel_codes WHERE state = :s")
        .bind("s", state).map((rs, ctx) -> row(rs)).findOne());
  }

  /**
   * Records the intent to create a code before WeCom is called, holding it until {@code leaseUntil}.
   * False when the row exists (another node got there first, or an earlier run left it).
   */
  boolean recordIntent(String state, String channel, String store, String spec, String specHash, long now,
      long leaseUntil) {
    return jdbi.withHandle(h -> h.createUpdate("INSERT INTO channel_codes (state, channel, store, spec, spec_hash, status, "
            + "lease_until, created_at, updated_at) VALUES (:s, :c, :st, :spec, :hash, 'creating', :lease, :now, :now) "
            + "ON CONFLICT (state) DO NOTHING")
        .bind("s", state).bind("c", channel).bind("st", store).bind("spec", spec).bind("hash", specHash)
        .bind("lease", leaseUntil).bind("now", now).execute()) == 1;
  }

  /** Takes the row for work until {@code leaseUntil}, unless someone else holds it now. */
  boolean claim(String state, long now, long leaseUntil) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE channel_codes SET lease_until = :lease "
            + "WHERE state = :s AND lease_until <= :now")
        .bind("s", state).bind("now", now).bind("lease", leaseUntil).execute()) == 1;
  }

  /** The code now exists in WeCom as asked ({@code spec}); the lease is given back. */
  void active(String state, String configId, String qrUrl, String spec, String specHash, long now) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE channel_codes SET config_id = :id, qr_url = COALESCE(:qr, qr_url), "
            + "spec = :spec, spec_hash = :hash, status = 'active', error = NULL, lease_until = 0, updated_at = :now "
            + "WHERE state = :s")
        .bind("s", state).bind("id", configId).bind("qr", qrUrl).bind("spec", spec).bind("hash", specHash)
        .bind("now", now).execute());
  }

  /** About to create again (after a delete, or for a code declared anew): no config_id until WeCom answers. */
  void recreating(String state, String channel, String store, String spec, String specHash, long now) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE channel_codes SET config_id = NULL, qr_url = NULL, qr_png = NULL, "
            + "channel = :c, store = :st, spec = :spec, spec_hash = :hash, status = 'creating', error = NULL, "
            + "updated_at = :now WHERE state = :s")
        .bind("s", state).bind("c", channel).bind("st", store).bind("spec", spec).bind("hash", specHash)
        .bind("now", now).execute());
  }

  void deleted(String state, long now) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE channel_codes SET status = 'deleted', config_id = NULL, qr_png = NULL, "
            + "error = NULL, lease_until = 0, updated_at = :now WHERE state = :s")
        .bind("s", state).bind("now", now).execute());
  }

  /** WeCom refused: the operator's message is kept, the row is tried again on the next sync. */
  void failed(String state, String error, long now) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE channel_codes SET error = :e, "
            + "status = CASE WHEN config_id IS NULL THEN 'failed' ELSE status END, lease_until = 0, updated_at = :now "
            + "WHERE state = :s")
        .bind("s", state).bind("e", error).bind("now", now).execute());
  }

  void saveQr(String state, byte[] png) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE channel_codes SET qr_png = :png WHERE state = :s")
        .bind("s", state).bind("png", png).execute());
  }

  Optional<byte[]> qr(String state) {
    return jdbi.withHandle(h -> h.createQuery("SELECT qr_png FROM channel_codes WHERE state = :s AND qr_png IS NOT NULL")
        .bind("s", state).mapTo(byte[].class).findOne());
  }

  private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
        rs.getString(7), rs.getBoolean(8), rs.getString(9), rs.getString(10), rs.getLong(11), rs.getLong(12));
  }
}
