package app.liuliang.contact;

import app.liuliang.wecom.WeComApiException;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator's opt-out toggle: the contact's {@code opted_out} flag and its {@code opted_out_tag}
 * move together, with a row in {@code opt_out_changes} saying who changed it and why. The flag is a
 * compare-and-set, so two operators toggling at once record one change, not two.
 */
public final class OptOuts {

  private static final Logger log = LoggerFactory.getLogger(OptOuts.class);

  /** What {@link #set} did. */
  public enum Result { CHANGED, UNCHANGED, UNKNOWN_CONTACT }

  private final Jdbi jdbi;
  private final ContactTagger tagger;
  private final String optedOutTag;
  private final Clock clock;

  OptOuts(Jdbi jdbi, ContactTagger tagger, String optedOutTag, Clock clock) {
    this.jdbi = jdbi;
    this.tagger = tagger;
    this.optedOutTag = optedOutTag;
    this.clock = clock;
  }

  /**
   * Sets the opt-out state. The tag follows through the outbox (every follower); if WeCom's tag ids
   * cannot be fetched now, the flag and the record stand and the tag is put on by the next toggle or
   * tag sync, so the guard (which reads the flag) already protects the patient.
   *
   * @param actor  who made the change (shown on the patient page)
   * @param reason why (required: the operator answers for it)
   */
  public Result set(String externalUserId, boolean optedOut, String actor, String reason) {
    if (actor == null || actor.isBlank() || reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("an opt-out change needs who and why");
    }
    long now = clock.millis();
    Result result = jdbi.inTransaction(h -> {
      int changed = h.createUpdate("UPDATE contacts SET opted_out = :v, updated_at = :now "
              + "WHERE external_userid = :ext AND opted_out <> :v")
          .bind("v", optedOut ? 1 : 0).bind("now", now).bind("ext", externalUserId).execute();
      if (changed == 0) {
        boolean known = h.createQuery("SELECT COUNT(*) FROM contacts WHERE external_userid = :ext")
            .bind("ext", externalUserId).mapTo(Integer.class).one() > 0;
        return known ? Result.UNCHANGED : Result.UNKNOWN_CONTACT;
      }
      h.createUpdate("INSERT INTO opt_out_changes (external_userid, opted_out, actor, reason, at) "
              + "VALUES (:ext, :v, :actor, :reason, :now)")
          .bind("ext", externalUserId).bind("v", optedOut ? 1 : 0).bind("actor", actor.strip())
          .bind("reason", reason.strip()).bind("now", now).execute();
      return Result.CHANGED;
    });
    if (result == Result.CHANGED) {
      try {
        if (optedOut) {
          tagger.tag(externalUserId, optedOutTag, "staff");
        } else {
          tagger.untag(externalUserId, optedOutTag);
        }
      } catch (WeComApiException e) {
        log.warn("opt-out of {} recorded; its tag waits for WeCom's tag ids ({})", externalUserId, e.getMessage());
      }
      log.info("opt-out of {} set to {} by an operator", externalUserId, optedOut);
    }
    return result;
  }
}
