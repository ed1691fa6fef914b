package app.liuliang.message;

import app.liuliang.callback.CallbackEvent;
import app.liuliang.callback.CallbackHandler;
import app.liuliang.message.MessageRepository.NewMessage;
import app.liuliang.message.MessageRepository.StoredMessage;
import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import app.liuliang.wecom.WeComClient.KfSyncPage;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kf_msg_or_event}: pulls the kf account's new messages with {@code kf/sync_msg} (the
 * callback's token, our cursor), page by page until {@code has_more} is 0. Each page's messages and
 * the next cursor are stored in one transaction, then handled one by one; a message already known
 * (same msgid) is not stored again, so it is never handled twice. A WeCom error leaves the cursor
 * where it was (the inbox retries); entries we cannot use are kept in {@code kf_rejects}. Before a
 * page is handled, its new senders without a name are named ({@link KfCustomerNames}), so a
 * hand-off card built from it shows who wrote.
 */
final class KfSyncHandler implements CallbackHandler {

  private static final Logger log = LoggerFactory.getLogger(KfSyncHandler.class);
  private static final int PAGE_SIZE = 1000;
  /** A bound against a cursor that never ends: 100 pages = 100,000 messages per callback. */
  private static final int MAX_PAGES = 100;
  private static final int BATCH = 20;

  private final WeComClient wecom;
  private final MessageRepository messages;
  private final PatientMessageHandler handler;
  private final KfCustomerNames names;
  private final Clock clock;
  private final String nodeId;
  /** How long a node may sync one kf account before another may take over (100 pages take far less). */
  static final java.time.Duration SYNC_LEASE = java.time.Duration.ofMinutes(2);
  private final MeterRegistry meters;

  KfSyncHandler(WeComClient wecom, MessageRepository messages, PatientMessageHandler handler, KfCustomerNames names,
      Clock clock, MeterRegistry meters, String nodeId) {
    this.nodeId = nodeId;
    this.wecom = wecom;
    this.messages = messages;
    this.handler = handler;
    this.names = names;
    this.clock = clock;
    this.meters = meters;
  }

  @Override
  public boolean accepts(CallbackEvent event) {
    return "event".equals(event.msgType()) && "kf_msg_or_event".equals(event.event());
  }

  @Override
  public void handle(CallbackEvent event) throws WeComApiException {
    String token = event.field("Token", "");
    String openKfId = event.field("OpenKfId", "");
    if (token.isBlank() || openKfId.isBlank()) {
      meters.counter("liuliang.message.kf_callbacks", "outcome", "malformed").increment();
      throw new PermanentFailure("kf_msg_or_event without Token or OpenKfId");
    }
    long now = clock.millis();
    if (!messages.holdSync(openKfId, nodeId, now, now + SYNC_LEASE.toMillis())) {
      // Another node is syncing this account now; the inbox retries this event in a moment, so whatever
      // arrived after that node's last page is fetched then.
      throw new IllegalStateException("kf " + openKfId + " is being synced by another node; retrying");
    }
    try {
      sync(token, openKfId);
    } finally {
      messages.releaseSync(openKfId, nodeId);
    }
  }

  private void sync(String token, String openKfId) throws WeComApiException {
    handleStored(openKfId);
    String cursor = messages.cursor(openKfId).orElse("");
    for (int page = 0; page < MAX_PAGES; page++) {
      KfSyncPage answer = wecom.syncKfMessages(cursor, token, openKfId, PAGE_SIZE);
      String next = answer.nextCursor();
      Stored stored = store(openKfId, answer.messages(), cursor, next);
      log.info("kf {} page {}: {} messages, {} new, {} rejected, has_more={}", openKfId, page, answer.messages().size(),
          stored.added(), stored.rejected(), answer.hasMore());
      names.nameUnnamed(stored.senders());
      handleStored(openKfId);
      if (!answer.hasMore() || next.isEmpty() || next.equals(cursor)) {
        return;
      }
      cursor = next;
    }
    log.warn("kf {}: stopped after {} pages; the next callback continues", openKfId, MAX_PAGES);
  }

  /** What storing a page did: new and rejected entries, and the customers who wrote the new ones (once each). */
  private record Stored(int added, int rejected, Set<String> senders) {
  }

  /** Stores a page and advances the cursor in one transaction. */
  private Stored store(String openKfId, List<JsonNode> page, String cursor, String nextCursor) {
    long now = clock.millis();
    return messages.jdbi().inTransaction(h -> {
      int added = 0;
      int rejected = 0;
      Set<String> senders = new LinkedHashSet<>();
      for (JsonNode m : page) {
        String problem = problemWith(m);
        if (problem != null) {
          messages.reject(h, openKfId, problem, m.toString(), now);
          rejected++;
          continue;
        }
        NewMessage message = toMessage(openKfId, m, now);
        if (messages.insert(h, message, now)) {
          added++;
          if (message.incoming()) {
            senders.add(message.externalUserId());
          }
        }
      }
      if (!nextCursor.isEmpty() && !nextCursor.equals(cursor)
          && !messages.saveCursor(h, openKfId, nodeId, cursor, nextCursor, now)) {
        // Our lease ran out and another node moved on: its pages are the ones that count.
        throw new IllegalStateException("kf " + openKfId + ": the cursor moved on another node; retrying");
      }
      meters.counter("liuliang.message.kf_messages", "outcome", "stored").increment(added);
      meters.counter("liuliang.message.kf_messages", "outcome", "rejected").increment(rejected);
      meters.counter("liuliang.message.kf_messages", "outcome", "duplicate").increment(page.size() - added - rejected);
      return new Stored(added, rejected, senders);
    });
  }

  private static String problemWith(JsonNode m) {
    if (!m.isObject()) {
      return "not an object";
    }
    if (m.path("msgid").asText("").isEmpty()) {
      return "no msgid";
    }
    int origin = m.path("origin").asInt(0);
    if (origin != 3 && origin != 4 && origin != 5) {
      return "unknown origin " + m.path("origin").asText("");
    }
    if (customer(m).isEmpty()) {
      return "no external_userid";
    }
    return null;
  }

  private static String customer(JsonNode m) {
    String ext = m.path("external_userid").asText("");
    return ext.isEmpty() ? m.path("event").path("external_userid").asText("") : ext;
  }

  private static NewMessage toMessage(String openKfId, JsonNode m, long now) {
    int origin = m.path("origin").asInt();
    String type = m.path("msgtype").asText("unknown");
    String content = origin == 4 ? m.path("event").toString()
        : "text".equals(type) ? m.path("text").path("content").asText("") : null;
    long sentAt = m.path("send_time").asLong(0) * 1000;
    return new NewMessage(m.path("msgid").asText(), customer(m), openKfId, origin, type, content,
        sentAt > 0 ? sentAt : now);
  }

  /**
   * Handles what is stored but not handled yet, oldest first (also what a crash left behind). A
   * batch is one transaction: the contact, tag, layer, hand-off and outbox writes of its messages
   * commit together with their "handled" mark (the store syncs every commit; one per message
   * made handling disk-bound).
   */
  private void handleStored(String openKfId) {
    List<StoredMessage> batch;
    do {
      batch = messages.unhandled(openKfId, BATCH);
      List<StoredMessage> todo = batch;
      Timer.Sample sample = Timer.start(meters);
      messages.jdbi().useTransaction(h -> {
        for (StoredMessage m : todo) {
          messages.markHandled(m.id(), handler.handle(m), clock.millis());
        }
      });
      sample.stop(meters.timer("liuliang.message.handle_batch"));
    } while (batch.size() == BATCH);
  }
}
