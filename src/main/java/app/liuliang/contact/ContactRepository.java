package app.liuliang.contact;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for {@code contacts}, {@code contact_follows}, {@code contact_tags} and {@code contact_activities}. */
final class ContactRepository {

  /** Referral codes avoid look-alikes (0/O, 1/I/L) since patients may read them aloud. */
  private static final char[] CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ".toCharArray();
  private static final int CODE_LENGTH = 6;
  private final SecureRandom random = new SecureRandom();

  /** A contact row, as features other than the console need it. */
  record Contact(String externalUserId, String name, String phone, String channel, String firstUserId, String layer,
      String referralCode, boolean optedOut, String status) {
  }

  /**
   * Inserts a new contact (with a fresh referral code) or refreshes a known one: a non-empty name
   * replaces the old one, a lost or removed contact who adds us again is active again; the first
   * channel and first staff member are kept.
   */
  /**
   * Creates the contact, or marks it active again. The first channel stays (where the clinic first
   * reached the patient); a store is filled in only while none is known.
   */
  void upsert(Handle h, String externalUserId, String name, String channel, String store, String userId, long now) {
    h.createUpdate("INSERT INTO contacts (external_userid, name, channel, store, first_userid, referral_code, added_at, updated_at) "
            + "VALUES (:ext, :name, :channel, :store, :userid, NULL, :now, :now) "
            + "ON CONFLICT (external_userid) DO UPDATE SET "
            + "name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE contacts.name END, "
            + "store = CASE WHEN contacts.store = '' THEN excluded.store ELSE contacts.store END, "
            + "status = 'active', updated_at = excluded.updated_at")
        .bind("ext", externalUserId).bind("name", name == null ? "" : name).bind("channel", channel)
        .bind("store", store == null ? "" : store).bind("userid", userId).bind("now", now).execute();
    assignReferralCode(h, externalUserId);
  }

  /** Gives the contact a short unique code unless it has one (retrying the rare collision). */
  private void assignReferralCode(Handle h, String externalUserId) {
    for (int attempt = 0; attempt < 10; attempt++) {
      String code = newCode();
      boolean taken = h.createQuery("SELECT COUNT(*) FROM contacts WHERE referral_code = :code")
          .bind("code", code).mapTo(Integer.class).one() > 0;
      if (!taken) {
        h.createUpdate("UPDATE contacts SET referral_code = :code WHERE external_userid = :ext AND referral_code IS NULL")
            .bind("code", code).bind("ext", externalUserId).execute();
        return;
      }
    }
    throw new IllegalStateException("could not find a free referral code after 10 attempts");
  }

  private String newCode() {
    char[] code = new char[CODE_LENGTH];
    for (int i = 0; i < code.length; i++) {
      code[i] = CODE_ALPHABET[random.nextInt(CODE_ALPHABET.length)];
    }
    return new String(code);
  }

  void updateName(Handle h, String externalUserId, String name, long now) {
    if (name != null && !name.isEmpty()) {
      h.createUpdate("UPDATE contacts SET name = :name, updated_at = :now WHERE external_userid = :ext")
          .bind("name", name).bind("now", now).bind("ext", externalUserId).execute();
    }
  }

  void upsertFollow(Handle h, String externalUserId, String userId, String state, long now) {
    h.createUpdate("INSERT INTO contact_follows (external_userid, userid, state, status, added_at) "
            + "VALUES (:ext, :userid, :state, 'active', :now) "
            + "ON CONFLICT (external_userid, userid) DO UPDATE SET status = 'active', state = excluded.state")
        .bind("ext", externalUserId).bind("userid", userId).bind("state", state == null ? "" : state)
        .bind("now", now).execute();
  }

  /** The remarks staff gave the patient in WeCom, as externalcontact/get reports them. */
  void saveRemarks(Handle h, String externalUserId, List<app.liuliang.wecom.WeComClient.FollowUser> follows) {
    for (app.liuliang.wecom.WeComClient.FollowUser f : follows) {
      h.createUpdate("UPDATE contact_follows SET remark = :remark WHERE external_userid = :ext AND userid = :userid "
              + "AND remark <> :remark")
          .bind("remark", f.remark() == null ? "" : f.remark()).bind("ext", externalUserId).bind("userid", f.userId())
          .execute();
    }
  }

  void setFollowStatus(Handle h, String externalUserId, String userId, String status) {
    h.createUpdate("UPDATE contact_follows SET status = :status WHERE external_userid = :ext AND userid = :userid")
        .bind("status", status).bind("ext", externalUserId).bind("userid", userId).execute();
  }

  List<String> activeFollowers(Handle h, String externalUserId) {
    return h.createQuery("SELECT userid FROM contact_follows WHERE external_userid = :ext AND status = 'active' ORDER BY added_at, userid")
        .bind("ext", externalUserId).mapTo(String.class).list();
  }

  void setStatus(Handle h, String externalUserId, String status, long now) {
    h.createUpdate("UPDATE contacts SET status = :status, updated_at = :now WHERE external_userid = :ext")
        .bind("status", status).bind("now", now).bind("ext", externalUserId).execute();
  }

  void setReferrer(Handle h, String externalUserId, String referrer) {
    h.createUpdate("UPDATE contacts SET referrer_external_userid = :ref WHERE external_userid = :ext AND referrer_external_userid IS NULL")
        .bind("ref", referrer).bind("ext", externalUserId).execute();
  }

  void setPhone(Handle h, String externalUserId, String phone) {
    h.createUpdate("UPDATE contacts SET phone = :phone WHERE external_userid = :ext")
        .bind("phone", phone).bind("ext", externalUserId).execute();
  }

  /**
   * Moves the contact from layer {@code from} to {@code to}; false when its layer is no longer {@code from}
   * (another node moved it first), so two moves decided on the same old layer never both land.
   */
  boolean moveLayer(Handle h, String externalUserId, String from, String to, long now) {
    return h.createUpdate("UPDATE contacts SET layer = :to, updated_at = :now WHERE external_userid = :ext AND layer = :from")
        .bind("to", to).bind("from", from).bind("now", now).bind("ext", externalUserId).execute() == 1;
  }

  Optional<Contact> find(Handle h, String externalUserId) {
    return h.createQuery("SELECT * FROM contacts WHERE external_userid = :ext").bind("ext", externalUserId)
        .map((rs, ctx) -> new Contact(rs.getString("external_userid"), rs.getString("name"), rs.getString("phone"),
            rs.getString("channel"), rs.getString("first_userid"), rs.getString("layer"), rs.getString("referral_code"),
            rs.getInt("opted_out") == 1, rs.getString("status")))
        .findOne();
  }

  Optional<String> byReferralCode(Handle h, String code) {
    return h.createQuery("SELECT external_userid FROM contacts WHERE referral_code = :code")
        .bind("code", code.toUpperCase(java.util.Locale.ROOT)).mapTo(String.class).findOne();
  }

  /** The most recently added contact with this phone number. */
  Optional<String> byPhone(Handle h, String phone) {
    return h.createQuery("SELECT external_userid FROM contacts WHERE phone = :phone ORDER BY added_at DESC LIMIT 1")
        .bind("phone", phone).mapTo(String.class).findOne();
  }

  void addActivity(Handle h, String externalUserId, String type, String subtype, java.math.BigDecimal amount, long at,
      String detail) {
    h.createUpdate("INSERT INTO contact_activities (external_userid, type, subtype, amount, at, detail) "
            + "VALUES (:ext, :type, :subtype, :amount, :at, :detail)")
        .bind("ext", externalUserId).bind("type", type).bind("subtype", subtype).bind("amount", amount)
        .bind("at", at).bind("detail", detail).execute();
  }

  int countActivities(Handle h, String externalUserId, List<String> types) {
    return h.createQuery("SELECT COUNT(*) FROM contact_activities WHERE external_userid = :ext AND type IN (<types>)")
        .bind("ext", externalUserId).bindList("types", types).mapTo(Integer.class).one();
  }

  /** The contact is a WeCom user (type 2): a work account, never a referred friend. */
  void markWeComAccount(Handle h, String externalUserId) {
    h.createUpdate("UPDATE contacts SET wecom_account = 1 WHERE external_userid = :ext AND wecom_account = 0")
        .bind("ext", externalUserId).execute();
  }

  /**
   * Holds the contact's row until the transaction ends (a row lock on PostgreSQL, the write lock on SQLite),
   * so what the transaction reads next about this contact includes every other one's committed writes: a
   * decision from a count (visits so far) is then not made on a count that misses a concurrent event.
   */
  boolean lock(Handle h, String externalUserId) {
    return h.createUpdate("UPDATE contacts SET updated_at = updated_at WHERE external_userid = :ext")
        .bind("ext", externalUserId).execute() == 1;
  }

  /** True when the row is new (atomic: of two concurrent adds, one gets true). */
  boolean addTag(Handle h, String externalUserId, String tag, String source, long now) {
    return h.createUpdate("INSERT INTO contact_tags (external_userid, tag_name, source, added_at) VALUES (:ext, :tag, :source, :now) "
            + "ON CONFLICT (external_userid, tag_name) DO NOTHING")
        .bind("ext", externalUserId).bind("tag", tag).bind("source", source).bind("now", now).execute() == 1;
  }

  /** True when a row was there (atomic: of two concurrent removes, one gets true). */
  boolean removeTag(Handle h, String externalUserId, String tag) {
    return h.createUpdate("DELETE FROM contact_tags WHERE external_userid = :ext AND tag_name = :tag")
        .bind("ext", externalUserId).bind("tag", tag).execute() > 0;
  }

  List<String> tags(Handle h, String externalUserId) {
    return h.createQuery("SELECT tag_name FROM contact_tags WHERE external_userid = :ext ORDER BY tag_name")
        .bind("ext", externalUserId).mapTo(String.class).list();
  }

  /** Replaces the staff-made tags we know of with what WeCom shows now. */
  void replaceStaffTags(Handle h, String externalUserId, List<String> tags, long now) {
    h.createUpdate("DELETE FROM contact_tags WHERE external_userid = :ext AND source = 'staff'")
        .bind("ext", externalUserId).execute();
    for (String tag : tags) {
      addTag(h, externalUserId, tag, "staff", now);
    }
  }
}
