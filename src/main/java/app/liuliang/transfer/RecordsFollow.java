package app.liuliang.transfer;

import app.liuliang.channel.PersonalCodes;
import app.liuliang.contact.ContactTransfers;
import app.liuliang.handoff.Handoffs;
import app.liuliang.sop.SopSenders;
import app.liuliang.wecom.Outbox;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once WeCom moved a patient, Liuliang's own records follow, each through the package that owns it: the
 * follow (so journeys, recalls and churn alerts pick the colleague as the patient's assistant), pending
 * 1:1 sends in the outbox (re-addressed to the colleague, with their SOP broadcast records), hand-offs still in progress, and the personal
 * referral code (made again behind the colleague). Every step is idempotent: a second run changes nothing.
 */
final class RecordsFollow {

  private static final Logger log = LoggerFactory.getLogger(RecordsFollow.class);

  private final ContactTransfers contacts;
  private final Outbox outbox;
  private final SopSenders broadcasts;
  private final Optional<Handoffs> handoffs;
  private final Optional<PersonalCodes> codes;

  RecordsFollow(ContactTransfers contacts, Outbox outbox, SopSenders broadcasts, Optional<Handoffs> handoffs,
      Optional<PersonalCodes> codes) {
    this.contacts = contacts;
    this.outbox = outbox;
    this.broadcasts = broadcasts;
    this.handoffs = handoffs;
    this.codes = codes;
  }

  void moved(String externalUserId, String from, String to) {
    contacts.followMoved(externalUserId, from, to);
    java.util.List<String> sends = outbox.readdressPending(externalUserId, from, to);
    broadcasts.readdress(sends, from, to);
    int moved = handoffs.map(h -> h.followTransfer(externalUserId, from, to)).orElse(0);
    boolean code = codes.map(c -> c.followAssistant(externalUserId, from)).orElse(false);
    log.info("contact {} moved {} → {}: {} pending sends re-addressed, {} hand-offs moved, referral code {}",
        externalUserId, from, to, sends.size(), moved, code ? "made again" : "unchanged");
  }
}
